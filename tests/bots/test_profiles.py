"""The same bots on the sandbox's three builds, by profile only: filing, search-first after a kill, status sync."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bots import misfits
from bots.prefill import prefill_seamless
from bots.status_sync import sync_statuses
from ground.outside_work.policy import RetryPolicy
from ground.store.tables import bot_attempts
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from sandbox.scripted_approver import decide_all
from tests.bots.conftest import FAST, PASSWORD, World, applications, now, prefill_killed_at
from tests.platform.conftest import FOOD
from tests.platform.element import ElementPortal


def test_each_build_files_with_its_profile_and_reads_the_decisions_back(world: World, build: tuple[str, str]) -> None:
    profile, url = build
    ids = world.seamless(2)

    filed = prefill_seamless(world.engine, world.platform(url, profile), FAST, now)
    before = sync_statuses(world.engine, world.platform(url, profile), FAST, now)
    decide_all(url, "approver", "approver-pass", return_every=2, layout=profile)
    after = sync_statuses(world.engine, world.platform(url, profile), FAST, now)

    assert filed.outcomes == {"filed": 2}, filed.warnings
    on_platform = {a["reference"]: a for a in applications(url)}
    for case_id in ids:
        case = world.case(case_id)
        assert on_platform[case["platform_ref"]]["application_no"] == case["application_no"]
    assert before.outcomes == {"pending": 2}, before.warnings
    assert after.outcomes == {"approved": 1, "returned": 1}, after.warnings
    returned = next(world.case(i) for i in ids if world.case(i)["state"] == "returned")
    assert returned["route"] == "assisted"


def test_a_kill_after_submitting_on_a_paged_split_table_files_once(world: World, tmp_path: Path) -> None:
    """Twelve applications already listed (two pages of ten): the one the killed run filed is found by search."""
    settings = PlatformSettings(
        db_path=tmp_path / "paged.db", layout="element", admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        with httpx.Client(base_url=url) as client:
            portal = ElementPortal(client)
            assert portal.login(password=PASSWORD)["code"] == 200
            for n in range(12):
                portal.file("food_renewal", FOOD | {"reference": f"OTHER-{n:04d}"})
        [case_id] = world.seamless(1)
        killed = prefill_killed_at(world, url, profile="element")
        assert killed.returncode == 75, killed.stderr.decode()[-2000:]
        assert len(applications(url)) == 13

        again = prefill_seamless(world.engine, world.platform(url, "element"), FAST, now)
        synced = sync_statuses(world.engine, world.platform(url, "element"), FAST, now)

        assert again.outcomes == {"found": 1}, again.warnings
        assert len(applications(url)) == 13
        ours = [a for a in applications(url) if a["reference"] == world.case(case_id)["platform_ref"]]
        assert [a["application_no"] for a in ours] == [world.case(case_id)["application_no"]]
        assert synced.outcomes == {"pending": 1}, synced.warnings


def element(tmp_path: Path, **faults: Any) -> PlatformSettings:
    return PlatformSettings(
        db_path=tmp_path / "faulty-element.db", layout="element", admin=True, applicant_password=PASSWORD, **faults
    )


def outcomes_of_attempts(world: World) -> list[str]:
    with world.engine.connect() as connection:
        return list(connection.execute(select(bot_attempts.c.outcome)).scalars())


def test_on_the_element_build_lost_answers_are_retried_and_each_case_filed_once(world: World, tmp_path: Path) -> None:
    ids = world.seamless(3)
    with serving(element(tmp_path, seed=4)) as url:
        # a fifth of the steps' and submissions' answers lost after the platform acted on them
        lost = {"error_rate": 0.2, "error_phase": "after", "error_paths": ["/web/api/apply/"]}
        httpx.post(f"{url}/_sandbox/faults", json=lost).raise_for_status()
        policy = RetryPolicy(max_attempts=8, backoff_seconds=0)
        report = prefill_seamless(world.engine, world.platform(url, "element"), policy, now)
        references = sorted(str(a["reference"]) for a in applications(url))

    assert report.done == 3 and report.parked == 0 and not report.misfit, report.warnings
    assert references == sorted(world.case(case_id)["platform_ref"] for case_id in ids)
    assert "transient" in outcomes_of_attempts(world), "the injected errors were met and retried"


def test_on_the_element_build_a_platform_that_is_down_is_an_outage_not_a_misfit(world: World, tmp_path: Path) -> None:
    world.seamless(3)
    policy = RetryPolicy(max_attempts=2, backoff_seconds=0, breaker_threshold=2, park_after=3)
    with serving(element(tmp_path, error_rate=1.0)) as url:
        platform = world.platform(url, "element")
        report = prefill_seamless(world.engine, platform, policy, now)

    assert report.stopped_early and report.parked == 0 and not report.misfit
    assert any("looks down" in warning for warning in report.warnings)
    assert set(outcomes_of_attempts(world)) == {"outage"} and misfits.current(platform) is None


def test_on_the_element_build_an_expiring_session_is_survived(world: World, tmp_path: Path) -> None:
    world.seamless(2)
    with serving(element(tmp_path, expire_every=10, slow_ms=150, seed=2)) as url:
        report = prefill_seamless(world.engine, world.platform(url, "element"), FAST, now)
        assert len(applications(url)) == 2
    with world.engine.connect() as connection:
        errors = list(
            connection.execute(select(bot_attempts.c.error).where(bot_attempts.c.error.is_not(None))).scalars()
        )
    assert report.done == 2 and not report.misfit, report.warnings
    assert any("session expired" in error for error in errors), "the platform did log the bot out on the way"
