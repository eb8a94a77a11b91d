"""`proactive status` as an operator or a monitor reads it: the jobs' real runs, a failed one, and the rule that
says when a job is late."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from typer.testing import CliRunner

from agent.cli import app, console
from agent.jobs import chase_round, letters_round, match_round, notify_round, reconcile_round, refresh
from agent.runtime import Runtime
from agent.service import ScheduledJob
from agent.status import Problem, Records, job_health
from ground.settings import RegistrySource, Settings
from ground.store.job_runs import JobRunRow, RunStatus
from sandbox.registry import generate_county

ZONE = Settings().zone
GRACE = timedelta(hours=1)
EXPORTS = (("county_subjects", "subjects.csv"), ("county_licences", "licences.csv"), ("county_events", "events.csv"))


def settings_for(folder: Path, **changes: Any) -> Settings:
    sources = [RegistrySource(name=file, mapping=mapping, path=folder / file) for mapping, file in EXPORTS]
    return Settings(
        database_url=f"sqlite:///{folder / 'store.db'}",
        var_dir=folder,
        model={"dir": folder / "no-models"},
        registries=sources,
        **changes,
    )


def status(folder: Path, *args: str) -> tuple[int, str]:
    env = {"PROACTIVE_DATABASE_URL": f"sqlite:///{folder / 'store.db'}", "PROACTIVE_VAR_DIR": str(folder)}
    result = CliRunner().invoke(app, ["status", *args], env=env)
    return result.exit_code, result.output


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small generated county's exports, configured as the registries; no model yet."""
    generate_county(tmp_path, 300, seed=3, as_of=datetime.now(ZONE).date())
    monkeypatch.setattr(console, "width", 200)  # whole table cells, as on an operator's wide terminal
    return tmp_path


def test_after_every_job_ran_the_status_shows_each_run_and_exits_0(county: Path) -> None:
    rt = Runtime(settings_for(county))
    for job in (refresh, notify_round, reconcile_round, letters_round, chase_round):
        job(rt)
    match_round(rt)

    code, output = status(county)

    assert code == 0, output
    for job_id in ("registry-refresh", "policy-matching", "notify-dispatch", "notify-reconcile", "letter-batch"):
        row = next(line for line in output.splitlines() if job_id in line)
        assert " ok " in row and "(schedule)" in row, row  # its outcome and health; next run from the schedule
    refreshed = next(line for line in output.splitlines() if "registry-refresh" in line)
    assert "degraded" in refreshed, refreshed  # no model: the scanned cases wait unrouted
    assert "warning: registry-refresh: cases left unrouted: no trained model yet" in output
    assert "last failure" not in output


def test_the_json_says_what_each_run_counted_and_when_in_the_bureaus_zone(county: Path) -> None:
    refresh(Runtime(settings_for(county)))

    code, output = status(county, "--format", "json")

    report = json.loads(output)
    assert code == 1 and report["healthy"] is False  # the other jobs have never run here
    jobs = {job["job"]: job for job in report["jobs"]}
    run = jobs["registry-refresh"]["last_run"]
    assert run["status"] == "degraded" and run["counts"]["scan"] and run["seconds"] > 0  # no model: cases wait
    assert run["started_at"].endswith("+08:00") and jobs["registry-refresh"]["problems"] == []
    assert jobs["registry-refresh"]["next_run_from"] == "schedule"
    assert jobs["notify-dispatch"]["last_run"] is None and jobs["notify-dispatch"]["problems"] == ["late"]


def test_a_failed_run_exits_1_with_its_error_and_the_error_stays_in_view_after_a_good_run(county: Path) -> None:
    broken = settings_for(county, scan={"licence_types_file": county / "missing.yaml"})
    with pytest.raises(Exception, match="cannot read licence types"):
        refresh(Runtime(broken))

    code, output = status(county)

    assert code == 1
    row = next(line for line in output.splitlines() if "registry-refresh" in line)
    assert "failed" in row
    assert "last failure: registry-refresh" in output and "LicenceTypesError" in output

    refresh(Runtime(settings_for(county)))
    report = json.loads(status(county, "--format", "json")[1])
    refreshed = next(job for job in report["jobs"] if job["job"] == "registry-refresh")
    assert refreshed["problems"] == [] and refreshed["last_run"]["status"] == "degraded"  # no model yet
    assert "LicenceTypesError" in refreshed["last_failure"]["error"]


def in_office_hours(moment: datetime) -> bool:
    return moment.weekday() < 5 and 8 <= moment.hour < 18


def job(trigger: BaseTrigger, works_at: Callable[[datetime], bool] | None = None) -> ScheduledJob:
    plain = ScheduledJob("job", "agent.jobs:scheduled_refresh", "a job", trigger, "")
    return plain if works_at is None else replace(plain, works_at=works_at)


DAILY = job(CronTrigger.from_crontab("0 2 * * *", timezone=ZONE))
EVERY_5 = job(IntervalTrigger(minutes=5, timezone=ZONE))
BOTS = job(IntervalTrigger(minutes=30, timezone=ZONE), in_office_hours)


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    """A moment in the bureau's zone, `days` after Friday 2026-11-27."""
    return datetime(2026, 11, 27, hour, minute, tzinfo=ZONE) + timedelta(days=days)


def run(started: datetime, status: RunStatus = RunStatus.OK) -> JobRunRow:
    finished = None if status is RunStatus.RUNNING else started + timedelta(minutes=2)
    return JobRunRow("job", started.astimezone(UTC), finished, status, {}, [], None)


@pytest.mark.parametrize(
    ("scheduled", "last", "planned", "now", "problems"),
    [
        (DAILY, run(at(2)), None, at(12), []),  # ran at 02:00 today, checked at noon
        (DAILY, run(at(2), RunStatus.FAILED), None, at(12), [Problem.FAILED]),
        (DAILY, run(at(2), RunStatus.DEGRADED), None, at(12), []),  # part left out: its warnings say which
        (DAILY, run(at(2), RunStatus.INTERRUPTED), None, at(12), []),  # the service was stopped
        (DAILY, run(at(2)), None, at(2, 59, days=1), []),  # tomorrow's 02:00 run: within the grace
        (DAILY, run(at(2)), None, at(3, 1, days=1), [Problem.LATE]),  # …and past it
        (EVERY_5, run(at(9), RunStatus.RUNNING), None, at(9, 20), []),  # a long run holds the next ones back
        (EVERY_5, run(at(9), RunStatus.RUNNING), None, at(11), [Problem.LATE]),  # left running by a dead process
        (BOTS, run(at(17, 45)), None, at(12, days=2), []),  # the bots: nothing due over the weekend…
        (BOTS, run(at(17, 45)), None, at(10, days=3), [Problem.LATE]),  # …Monday morning's was
        (DAILY, None, at(2, days=1), at(12), []),  # never run: the job store plans its first run tomorrow
        (DAILY, None, at(2), at(12), [Problem.LATE]),  # never run, and its first planned run is past the grace
        (DAILY, None, None, at(12), [Problem.LATE]),  # never run, in no job store: no service scheduled it here
    ],
)
def test_a_job_is_failed_or_late_by_its_last_run_and_its_schedule(
    scheduled: ScheduledJob, last: JobRunRow | None, planned: datetime | None, now: datetime, problems: list[Problem]
) -> None:
    records = Records({"job": last} if last else {}, {}, {"job": planned} if planned else {})
    assert job_health(scheduled, records, now, GRACE).problems == problems


@pytest.mark.parametrize(
    ("success", "first", "last", "now", "problems"),
    [
        (run(at(2, days=-1)), None, run(at(2), RunStatus.DEGRADED), at(2, 30), []),  # tonight's: within the grace
        (run(at(2, days=-1)), None, run(at(2), RunStatus.DEGRADED), at(12), [Problem.STALE]),  # no success since
        (None, run(at(2, days=-2), RunStatus.DEGRADED), run(at(2), RunStatus.DEGRADED), at(12), [Problem.STALE]),
        (None, None, run(at(2), RunStatus.DEGRADED), at(12), []),  # a lone first run: the next one may succeed
        (run(at(2, days=-2)), None, run(at(2), RunStatus.RUNNING), at(2, 30), []),  # still at work
        (run(at(10)), None, run(at(10, 5), RunStatus.INTERRUPTED), at(10, 30), []),  # EVERY_5: 5 min + grace
        (run(at(9)), None, run(at(10), RunStatus.INTERRUPTED), at(10, 30), [Problem.STALE]),
    ],
)
def test_a_job_that_has_not_succeeded_within_its_interval_is_stale(
    success: JobRunRow | None, first: JobRunRow | None, last: JobRunRow, now: datetime, problems: list[Problem]
) -> None:
    scheduled = EVERY_5 if last.status is RunStatus.INTERRUPTED else DAILY
    records = Records({"job": last}, {}, {}, {"job": success} if success else {}, {"job": first or success or last})
    assert job_health(scheduled, records, now, GRACE).problems == problems
