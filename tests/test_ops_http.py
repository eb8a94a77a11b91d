"""What a monitor reads without signing in: `/healthz` fails (503, the reasons named) when a job has not succeeded
within its interval or the database does not answer; `/metrics` counts cases, runs, SMS and bot attempts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from agent.jobs import REFRESH_JOB_ID, recorded_run
from agent.ops_http import ops_router
from agent.runtime import Runtime
from agent.service import scheduled_jobs
from ground.outside_work import attempts
from ground.settings import Settings
from ground.store.job_runs import RunStatus, finish_run, start_run
from tests.notifications.conftest import case_maker

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)  # 12:00 in the bureau's zone


def runtime_on(store: Engine, folder: Path) -> Runtime:
    url = store.url.render_as_string(hide_password=False)
    return Runtime(Settings(database_url=url, var_dir=folder, model={"dir": folder / "no-models"}))


def client(rt: Runtime, now: Callable[[], datetime] = lambda: NOW) -> TestClient:
    app = FastAPI()
    app.include_router(ops_router(rt, now))
    return TestClient(app)


def record(store: Engine, job_id: str, started: datetime, status: RunStatus) -> None:
    run_id = start_run(store, job_id, started)
    finish_run(store, run_id, started + timedelta(minutes=1), status, {}, [], None)


def every_job_ran(rt: Runtime, at: datetime) -> None:
    for job in scheduled_jobs(rt):
        record(rt.engine, job.id, at, RunStatus.OK)


def test_healthz_is_ok_while_every_job_has_succeeded_on_schedule(store: Engine, tmp_path: Path) -> None:
    rt = runtime_on(store, tmp_path)
    every_job_ran(rt, NOW - timedelta(minutes=2))

    answer = client(rt).get("/healthz")

    assert answer.status_code == 200 and answer.json()["status"] == "ok" and answer.json()["reasons"] == []


def test_healthz_fails_naming_the_job_that_has_not_succeeded_within_its_interval(store: Engine, tmp_path: Path) -> None:
    rt = runtime_on(store, tmp_path)
    every_job_ran(rt, NOW - timedelta(minutes=2))
    record(store, REFRESH_JOB_ID, NOW - timedelta(days=2), RunStatus.OK)  # its last success, two nights ago
    record(store, REFRESH_JOB_ID, NOW - timedelta(hours=10), RunStatus.DEGRADED)  # last night: cases left unrouted

    answer = client(rt).get("/healthz")

    assert answer.status_code == 503
    assert answer.json()["reasons"] == ["registry-refresh: stale (last run degraded)"]


def test_healthz_fails_for_a_job_no_service_has_ever_run(store: Engine, tmp_path: Path) -> None:
    answer = client(runtime_on(store, tmp_path)).get("/healthz")

    assert answer.status_code == 503
    assert "registry-refresh: late (never run)" in answer.json()["reasons"]


def test_healthz_fails_when_the_database_does_not_answer_and_never_shows_its_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://agent:db-s3cret-pw@127.0.0.1:1/proactive"  # nothing listens on port 1
    rt = Runtime(Settings(database_url=url, var_dir=tmp_path))

    answer = client(rt).get("/healthz")

    assert answer.status_code == 503
    assert answer.json()["reasons"] == ["database unreachable (OperationalError)"]
    assert "db-s3cret-pw" not in answer.text and make_url(url).host not in answer.text


def test_metrics_count_cases_runs_last_success_sms_and_attempts(store: Engine, tmp_path: Path) -> None:
    rt = runtime_on(store, tmp_path)
    add = case_maker(store)
    add("routed", "seamless")
    parked = add("parked", "seamless")
    attempts.start(store, parked, "prefill", NOW)  # a try a killed round left running
    record(store, REFRESH_JOB_ID, NOW - timedelta(days=1), RunStatus.OK)
    with recorded_run(store, REFRESH_JOB_ID) as run:
        run.degrade("source market not loaded")

    text = client(rt).get("/metrics").text

    read = samples(text)
    assert read["proactive_cases", (("kind", "renewal"), ("state", "routed"))] == 1
    assert read["proactive_cases", (("kind", "renewal"), ("state", "parked"))] == 1
    assert read["proactive_job_runs_total", (("job", "registry-refresh"), ("outcome", "ok"))] == 1
    assert read["proactive_job_runs_total", (("job", "registry-refresh"), ("outcome", "degraded"))] == 1
    success = (NOW - timedelta(days=1)).timestamp()
    assert read["proactive_job_last_success_timestamp_seconds", (("job", "registry-refresh"),)] == success
    assert read["proactive_healthy", ()] == 0  # the other jobs have never run here
    assert read["proactive_bot_attempts_total", (("bot", "prefill"), ("outcome", "running"))] == 1
    assert "# TYPE proactive_sms gauge" in text  # none in the outbox yet


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The exposition as the Prometheus server reads it (the official client's parser)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
