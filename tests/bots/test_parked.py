"""What an operator does with a parked case: sees why and the evidence, fixes the data, releases it to the bots."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from agent.cli import app, console
from bots.prefill import prefill_seamless
from ground.outside_work.policy import RetryPolicy
from ground.store.tables import subjects
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.bots.conftest import FAST, PASSWORD, World, now


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as their text, whatever terminal the tests run in."""
    monkeypatch.setattr(console, "width", 400)


def proactive(world: World, *args: str) -> str:
    env = {"PROACTIVE_DATABASE_URL": str(world.engine.url), "PROACTIVE_VAR_DIR": str(world.folder)}
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def set_credit_code(world: World, subject_key: str, credit_code: str) -> str:
    """Change a subject's credit code in the store; the one it had."""
    where = subjects.c.subject_key == subject_key
    with world.engine.begin() as connection:
        before = str(connection.execute(select(subjects.c.credit_code).where(where)).scalar_one())
        connection.execute(update(subjects).where(where).values(credit_code=credit_code))
    return before


def test_a_case_parked_for_refused_data_is_shown_with_its_evidence_and_filed_once_released(
    world: World, platform_url: str
) -> None:
    [case_id] = world.seamless(1)
    subject_key = world.case(case_id)["subject_key"]
    credit_code = set_credit_code(world, subject_key, "91150624MA0000000X")  # a value the platform refuses
    prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    listed = proactive(world, "cases", "list", "--state", "parked")
    shown = proactive(world, "cases", "show", str(case_id))
    set_credit_code(world, subject_key, credit_code)  # the operator has the registry corrected
    released = proactive(world, "cases", "release", str(case_id), "--note", "信用代码已更正")
    report = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    assert "平台拒绝" in listed and "统一社会信用代码" in listed
    assert ".png" in shown and ".trace.zip" in shown and "permanent" in shown
    assert "consented" in released
    assert report.outcomes == {"filed": 1} and world.case(case_id)["state"] == "prefilled"
    assert "信用代码已更正" in proactive(world, "cases", "show", str(case_id))


def test_failures_before_a_release_no_longer_count_towards_parking(world: World, tmp_path: Path) -> None:
    [case_id] = world.seamless(1)
    settings = PlatformSettings(db_path=tmp_path / "down.db", error_rate=1.0, admin=True, applicant_password=PASSWORD)
    # One case failing alone is the case's trouble, not an outage: its failures count towards parking it.
    policy = RetryPolicy(max_attempts=2, backoff_seconds=0, breaker_threshold=5, park_after=2)
    with serving(settings) as url:
        parked = prefill_seamless(world.engine, world.platform(url), policy, now)
        proactive(world, "cases", "release", str(case_id))
        again = prefill_seamless(world.engine, world.platform(url), RetryPolicy(max_attempts=1, park_after=2), now)

    assert parked.parked == 1
    assert again.parked == 0 and world.case(case_id)["state"] == "consented", "one failure since the release, not three"
