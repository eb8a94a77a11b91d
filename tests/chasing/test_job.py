"""The scheduled chase round: a job of its own on its schedule, recorded like every job; the notify round then puts
the chase's SMS in the outbox and sends it (the dry-run file sender)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from agent.jobs import CHASE_JOB_ID, chase_round, notify_round
from agent.runtime import Runtime
from agent.service import build_scheduler
from ground.settings import load_settings
from ground.store.tables import job_runs
from tests.chasing.conftest import Filer, at


@pytest.fixture
def runtime(store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("PROACTIVE_DATABASE_URL", store.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PROACTIVE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PROACTIVE_CHASE__CRON", "30 8 * * *")
    monkeypatch.setattr(Runtime, "today", lambda self: date(2026, 10, 9))
    monkeypatch.setattr(Runtime, "now", staticmethod(lambda: at("2026-10-09", "10:00")))
    return Runtime(load_settings())


def test_the_scheduler_has_the_chase_job_on_its_schedule(runtime: Runtime) -> None:
    job = build_scheduler(runtime).get_job(CHASE_JOB_ID)
    assert job is not None and job.func_ref == "agent.jobs:scheduled_chase_round"
    assert str(job.trigger) == "cron[month='*', day='*', day_of_week='*', hour='8', minute='30']"


def test_a_chase_run_is_recorded_and_the_notify_round_sends_its_sms(
    runtime: Runtime, store: Engine, file_case: Filer, tmp_path: Path
) -> None:
    file_case()
    assert chase_round(runtime).counts == {"chase": {"chased contact": 1}}
    sent = notify_round(runtime)

    assert sent.counts["chases"] == {"new sms": 1, "cancelled": 0}
    with store.connect() as connection:
        statuses = [row.status for row in connection.execute(select(job_runs).where(job_runs.c.job_id == CHASE_JOB_ID))]
    assert statuses == ["ok"]
    written = [json.loads(path.read_text(encoding="utf-8")) for path in (tmp_path / "sms-outbox").glob("*.json")]
    assert [message["to"] for message in written if "催办" in message["body"]] == ["+8613904770101"]
