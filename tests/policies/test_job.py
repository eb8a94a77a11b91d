"""The scheduled matching: a job of its own on its schedule, recorded like every job, a broken file in its warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from agent.jobs import MATCH_JOB_ID, match_round
from agent.runtime import Runtime
from agent.service import build_scheduler
from ground.settings import load_settings
from ground.store.tables import job_runs
from tests.policies.conftest import AS_OF, SHIPPED, load_subjects, write


@pytest.fixture
def runtime(store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    folder = tmp_path / "policies"
    shutil.copytree(SHIPPED, folder)
    monkeypatch.setenv("PROACTIVE_POLICIES__FOLDER", str(folder))
    monkeypatch.setenv("PROACTIVE_POLICIES__MATCH_CRON", "15 4 * * 1-5")
    monkeypatch.setenv("PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES", "true")  # the shipped policies cite them
    monkeypatch.setenv("PROACTIVE_DATABASE_URL", store.url.render_as_string(hide_password=False))
    return Runtime(load_settings())


def test_the_scheduler_has_the_matching_job_on_its_schedule(runtime: Runtime) -> None:
    job = build_scheduler(runtime).get_job(MATCH_JOB_ID)
    assert job is not None and job.func_ref == "agent.jobs:scheduled_match_round"
    assert str(job.trigger) == "cron[month='*', day='*', day_of_week='1-5', hour='4', minute='15']"


def test_a_matching_run_is_recorded_with_a_broken_file_in_its_warnings(
    runtime: Runtime, store: Engine, county_subjects: Path
) -> None:
    load_subjects(store, county_subjects)
    folder = runtime.settings.policies.folder
    write(
        folder,
        "broken.yaml",
        (folder / "tech_sme_award.yaml").read_text(encoding="utf-8").replace("op: eq", "op: equals", 1),
    )
    run, report = match_round(runtime, AS_OF)
    assert run.counts["matching"]["created"] == report.created
    assert report.created > 0 and set(report.per_policy.index) == {p.stem for p in SHIPPED.glob("*.yaml")}
    with store.connect() as connection:
        recorded = connection.execute(select(job_runs).where(job_runs.c.job_id == MATCH_JOB_ID)).one()
    assert recorded.status == "ok" and recorded.counts["matching"]["created"] == report.created
    assert any("broken.yaml: line" in warning and "left out" in warning for warning in recorded.warnings)
