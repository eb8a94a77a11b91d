"""Registry values the platform's form does not offer are refused with a reason, not filed without them; a control
whose label a platform has changed is still found by the profile's fallback selector."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, update

from bots import misfits
from bots.prefill import prefill_seamless
from bots.profile import Control
from ground.outside_work.policy import RetryPolicy
from ground.store.tables import licences
from tests.bots.conftest import FAST, World, now
from tests.bots.test_parked import set_credit_code
from tests.bots.test_prefill import applications


def set_licence(world: World, case_id: int, **values: str) -> None:
    with world.engine.begin() as connection:
        licence_no = world.case(case_id)["licence_no"]
        connection.execute(update(licences).where(licences.c.licence_no == licence_no).values(**values))


def test_a_business_item_the_form_does_not_offer_parks_the_case_unfiled(world: World, platform_url: str) -> None:
    [case_id] = world.seamless(1)
    set_licence(world, case_id, business_items="热食类食品制售;无人机配送")

    report = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    case = world.case(case_id)
    assert report.parked == 1 and case["state"] == "parked"
    assert "经营项目" in case["parked_reason"] and "无人机配送" in case["parked_reason"]
    assert applications(platform_url) == []


def test_a_business_form_the_form_does_not_offer_parks_the_case_unfiled(world: World, platform_url: str) -> None:
    [case_id] = world.seamless(1)
    set_licence(world, case_id, business_form="太空食品经营者")

    report = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    assert report.parked == 1 and "太空食品经营者" in world.case(case_id)["parked_reason"]
    assert applications(platform_url) == []


def test_a_label_the_platform_changed_is_found_by_the_fallback_selector(world: World, platform_url: str) -> None:
    [case_id] = world.seamless(1)
    platform = world.platform(platform_url)
    renamed = Control(label="市场主体名称（旧版）", selector="[name=holder_name]")  # the label is no longer on the page
    profile = platform.profile.model_copy(update={"fields": platform.profile.fields | {"holder_name": renamed}})

    report = prefill_seamless(world.engine, replace(platform, profile=profile), FAST, now)

    [filed] = applications(platform_url)
    assert report.outcomes == {"filed": 1}
    with world.engine.connect() as connection:
        holder = connection.execute(
            select(licences.c.holder_name).where(licences.c.licence_no == world.case(case_id)["licence_no"])
        ).scalar_one()
    assert filed["data"]["holder_name"] == holder  # type: ignore[index]


def test_the_profile_says_where_the_platform_shows_its_errors(world: World, platform_url: str) -> None:
    [case_id] = world.seamless(1)
    subject_key = world.case(case_id)["subject_key"]
    set_credit_code(world, subject_key, "91150624MA0000000X")  # a value the platform refuses
    platform = world.platform(platform_url)
    elsewhere = replace(platform, profile=platform.profile.model_copy(update={"error_selector": "p.no-such-box"}))
    by_class = replace(platform, profile=platform.profile.model_copy(update={"error_selector": "div.alert"}))

    unseen = prefill_seamless(world.engine, elsewhere, RetryPolicy(max_attempts=1), now)
    cleared = misfits.clear(platform)  # a person fixed the profile's error_selector
    seen = prefill_seamless(world.engine, by_class, RetryPolicy(max_attempts=1), now)

    # Not read as a refusal: the bot goes on to the next page, whose fields are not there — the profile misfits.
    assert unseen.outcomes == {"misfit": 1} and cleared is not None
    assert seen.outcomes == {"parked": 1} and "统一社会信用代码" in world.case(case_id)["parked_reason"]
