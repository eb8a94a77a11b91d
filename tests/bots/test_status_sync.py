"""Reading the approvers' decisions back: confirmed cases move on, returned ones go to the assisted route with
the approver's reason kept."""

from __future__ import annotations

from sqlalchemy import select

from agent.store.tables import case_transitions
from bots.runner import prefill_seamless, sync_statuses
from sandbox.platform import PlatformSettings
from sandbox.scripted_approver import decide_all
from tests.bots.conftest import FAST, World, now


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
        assert states[number]["state"] == "approved"
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
    assert sync_statuses(world.engine, world.platform(platform_url), FAST, now).cases == 0
