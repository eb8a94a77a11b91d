"""The job runs' records and the scheduler's job store beside them, as `proactive status` reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from ground.store.job_runs import JOB_STORE_TABLE, RunStatus, finish_run, last_runs, next_run_times, start_run

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def record(store: Engine, job_id: str, status: RunStatus, minutes: int, error: str | None = None) -> None:
    started = NOW + timedelta(minutes=minutes)
    run_id = start_run(store, job_id, started)
    finish_run(store, run_id, started + timedelta(seconds=30), status, {"scan": {"opened": 3}}, ["w"], error)


def test_each_jobs_latest_run_and_latest_failure(store: Engine) -> None:
    record(store, "refresh", RunStatus.FAILED, 0, "OSError: gone")
    record(store, "refresh", RunStatus.OK, 10)
    start_run(store, "notify", NOW + timedelta(minutes=20))  # still running
    with store.connect() as connection:
        last, failed = last_runs(connection), last_runs(connection, RunStatus.FAILED)
    assert {job: run.status for job, run in last.items()} == {"refresh": RunStatus.OK, "notify": RunStatus.RUNNING}
    assert last["refresh"].started_at == NOW + timedelta(minutes=10) and last["refresh"].counts == {
        "scan": {"opened": 3}
    }
    assert last["notify"].finished_at is None and last["notify"].warnings == []
    assert list(failed) == ["refresh"] and failed["refresh"].error == "OSError: gone"


def test_the_job_stores_next_runs_once_a_scheduler_has_used_it(store: Engine) -> None:
    with store.connect() as connection:
        assert next_run_times(connection) == {}  # no service has started here: no job store table
    scheduler = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=store, tablename=JOB_STORE_TABLE)})
    scheduler.add_job("agent.jobs:scheduled_refresh", CronTrigger.from_crontab("0 2 * * *", timezone=UTC), id="refresh")
    scheduler.start(paused=True)
    scheduler.shutdown()
    with store.connect() as connection:
        planned = next_run_times(connection)
    assert list(planned) == ["refresh"] and planned["refresh"] is not None
    assert planned["refresh"] > datetime.now(UTC) and (planned["refresh"].hour, planned["refresh"].minute) == (2, 0)
