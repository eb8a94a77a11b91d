"""The bot files a renewal only with its holder's consent and while its window is open on the platform's day, the
soonest-closing first; nothing else reaches the platform."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from bots.prefill import prefill_seamless
from ground.store.tables import cases
from tests.bots.conftest import AS_OF, FAST, World, now


def applications(platform_url: str) -> list[str]:
    listed = httpx.get(f"{platform_url}/_sandbox/applications").json()
    return sorted(application["reference"] for application in listed)


def move_window(world: World, case_id: int, opens_in: int, closes_in: int) -> None:
    with world.engine.begin() as connection:
        connection.execute(
            update(cases)
            .where(cases.c.id == case_id)
            .values(
                window_opens_on=AS_OF + timedelta(days=opens_in), window_closes_on=AS_OF + timedelta(days=closes_in)
            )
        )


def test_only_consented_cases_with_an_open_window_are_filed(world: World, platform_url: str) -> None:
    open_now, not_yet, closed = world.seamless(3)
    move_window(world, not_yet, 3, 60)
    move_window(world, closed, -90, -1)
    [asked] = world.seamless(1, state="awaiting_consent")

    report = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    assert report.outcomes == {"filed": 1}
    assert applications(platform_url) == [world.case(open_now)["platform_ref"]]
    assert [world.case(i)["state"] for i in (not_yet, closed, asked)] == ["consented", "consented", "awaiting_consent"]


def test_the_soonest_closing_window_is_filed_first(world: World, platform_url: str) -> None:
    later, sooner = world.seamless(2)
    move_window(world, later, -5, 30)
    move_window(world, sooner, -5, 2)

    prefill_seamless(world.engine, world.platform(platform_url), FAST, now, limit=1)

    assert world.case(sooner)["state"] == "prefilled" and world.case(later)["state"] == "consented"


def test_a_type_whose_rules_accept_late_applications_is_filed_after_the_close_until_expiry(
    world: World, platform_url: str
) -> None:
    [late] = world.seamless(1)
    move_window(world, late, -90, -1)

    refused = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)
    accepted = prefill_seamless(
        world.engine, world.platform(platform_url), FAST, now, late_types=frozenset({"food_business"})
    )

    assert (refused.cases, accepted.outcomes) == (0, {"filed": 1})
