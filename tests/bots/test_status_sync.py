"""Reading the approvers' decisions back: confirmed cases move on, returned ones go to the assisted route with
the approver's reason kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select

from bots.prefill import prefill_seamless
from bots.status_sync import sync_statuses
from ground.outside_work.policy import RetryPolicy
from ground.store.reads import stored_moment
from ground.store.tables import bot_attempts, case_transitions, e_licences, licences
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from sandbox.scripted_approver import decide_all
from tests.bots.conftest import FAST, PASSWORD, World, now

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_decisions_on_the_platform_move_the_cases(
    world: World, platform_url: str, platform_settings: PlatformSettings
) -> None:
    ids = world.seamless(4)
    prefill_seamless(world.engine, world.platform(platform_url), FAST, now)
    before = sync_statuses(world.engine, world.platform(platform_url), FAST, now)

    decisions = decide_all(
        platform_url, platform_settings.approver_username, platform_settings.approver_password, return_every=2
    )
    after = sync_statuses(world.engine, world.platform(platform_url), FAST, now)

    assert before.outcomes == {"pending": 4}, "nothing decided yet: cases wait"
    assert decisions.approved and decisions.returned
    states = {world.case(i)["application_no"]: world.case(i) for i in ids}
    for number in decisions.approved:
        assert_renewed_in_our_records(world, states[number])
    for number, reason in decisions.returned.items():
        case = states[number]
        assert (case["state"], case["route"]) == ("returned", "assisted")
        with world.engine.connect() as connection:
            ledger = connection.execute(
                select(case_transitions.c.reason, case_transitions.c.details).where(
                    case_transitions.c.case_id == case["id"], case_transitions.c.new_state == "returned"
                )
            ).one()
        assert ledger.details == {"return_reason": reason} and reason in ledger.reason
    assert after.outcomes == {"approved": len(decisions.approved), "returned": len(decisions.returned)}
    assert_decided_at_the_approvers_time(states, platform_url)
    assert sync_statuses(world.engine, world.platform(platform_url), FAST, now).cases == 0


def assert_decided_at_the_approvers_time(states: dict[str, dict[str, Any]], platform_url: str) -> None:
    """The platform shows the decision in Beijing time, to the minute; the store keeps that moment (in UTC)."""
    for application in httpx.get(f"{platform_url}/_sandbox/applications", timeout=30).json():
        shown = datetime.fromisoformat(application["decided_at"]).replace(second=0, microsecond=0, tzinfo=SHANGHAI)
        assert stored_moment(states[application["application_no"]]["decided_at"]) == shown


def assert_renewed_in_our_records(world: World, case: dict[str, Any]) -> None:
    """Done, with the approver's own decision time; the licence and its electronic licence carry the new term,
    which runs five years from the decision (the food rule)."""
    with world.engine.connect() as connection:
        licence = connection.execute(select(licences).where(licences.c.licence_no == case["licence_no"])).one()
        e_licence = connection.execute(select(e_licences).where(e_licences.c.case_id == case["id"])).one()
    decided_on = stored_moment(case["decided_at"]).astimezone(SHANGHAI).date()
    assert case["state"] == "done" and decided_on == datetime.now(SHANGHAI).date(), "the platform's own time"
    expected = decided_on.replace(year=decided_on.year + 5) - timedelta(days=1)
    assert case["new_expires_on"] == licence.expires_on == e_licence.expires_on == expected
    assert licence.valid_from == e_licence.valid_from == decided_on and len(e_licence.verification_code) == 16


def test_a_platform_down_at_status_sync_leaves_the_filed_cases_waiting_and_is_not_hammered(
    world: World, platform_url: str, platform_settings: PlatformSettings
) -> None:
    ids = world.seamless(4)
    prefill_seamless(world.engine, world.platform(platform_url), FAST, now)
    httpx.post(f"{platform_url}/_sandbox/faults", json={"error_rate": 1.0})
    policy = RetryPolicy(max_attempts=2, backoff_seconds=0, breaker_threshold=2, park_after=2)

    down = [sync_statuses(world.engine, world.platform(platform_url), policy, now) for _ in range(3)]

    for report in down:
        assert report.stopped_early and report.parked == 0 and report.left_for_later == 4
    assert {world.case(i)["state"] for i in ids} == {"prefilled"}, "a status that cannot be read parks nobody"
    with world.engine.connect() as connection:
        tries = connection.execute(select(func.count()).where(bot_attempts.c.bot == "status_sync")).scalar_one()
    assert tries == 3 * policy.breaker_threshold * policy.max_attempts, "each round stopped after the breaker opened"

    httpx.post(f"{platform_url}/_sandbox/faults", json={"error_rate": 0.0})
    decisions = decide_all(
        platform_url, platform_settings.approver_username, platform_settings.approver_password, return_every=2
    )
    back = sync_statuses(world.engine, world.platform(platform_url), policy, now)
    assert back.outcomes == {"approved": len(decisions.approved), "returned": len(decisions.returned)}


def test_the_alternate_build_s_decisions_are_read_with_its_own_profile(world: World, tmp_path: Path) -> None:
    ids = world.seamless(2)
    settings = PlatformSettings(
        db_path=tmp_path / "alt.db", layout="alternate", admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        platform = world.platform(url, profile="alternate")
        prefill_seamless(world.engine, platform, FAST, now)
        decisions = decide_all(
            url, settings.approver_username, settings.approver_password, return_every=2, layout="alternate"
        )
        report = sync_statuses(world.engine, platform, FAST, now)

    assert report.outcomes == {"approved": 1, "returned": 1}
    [(number, reason)] = decisions.returned.items()
    [returned] = [world.case(i) for i in ids if world.case(i)["application_no"] == number]
    assert (returned["state"], returned["route"]) == ("returned", "assisted")
    with world.engine.connect() as connection:
        ledger = connection.execute(
            select(case_transitions.c.details).where(
                case_transitions.c.case_id == returned["id"], case_transitions.c.new_state == "returned"
            )
        ).scalar_one()
    assert ledger == {"return_reason": reason}, "the reason is read without the alternate build's prefix"
