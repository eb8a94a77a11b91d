"""A profile that does not fit the platform, at each kind of step: the round stops at once with the step, the
selector and a screenshot kept for a person; no case is parked or blamed, nothing is an outage, and no later round
goes to the platform (not even to log in) until the misfit is cleared."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select, update
from typer.testing import CliRunner

from agent.cli import app
from bots import misfits
from bots.application import platform_ref
from bots.config import platform_from
from bots.errors import Misfit
from bots.prefill import prefill_seamless
from bots.profile import SHIPPED, SiteProfile
from bots.session import Platform
from ground.settings import PlatformSettings as BotSettings
from ground.store.tables import bot_attempts, cases
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.bots.conftest import FAST, PASSWORD, World, now

Change = Callable[[dict[str, Any]], None]


def field(name: str, label: str) -> Change:
    return lambda profile: profile["fields"][name].update(label=label)


def setting(*path: str, value: Any) -> Change:
    def change(profile: dict[str, Any]) -> None:
        node = profile
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def first_page_button(profile: dict[str, Any]) -> None:
    profile["matters"]["food_renewal"]["pages"][0]["button"] = "下 一 步"


# (what does not fit, the change to element.yaml, the step the misfit names, whether the case was already claimed
# by an earlier run, so that this one searches before filing)
MISFITS = [
    ("login field", setting("login", "username", value="用户账号"), "login", False),
    ("login button", setting("login", "button", value="登录"), "login", False),
    ("search box", setting("search", "query", value="关键字"), "search", True),
    ("table column", setting("search", "columns", "reference", value="外部参考号"), "search results", True),
    ("text field", field("licence_no", "许可证编号"), "food_renewal page 1, field licence_no", False),
    ("custom select", field("issuer", "发证机关"), "food_renewal page 1, field issuer", False),
    ("date picker", field("issued_on", "发证日期"), "food_renewal page 1, field issued_on", False),
    ("radio by label", field("business_form", "经营业态"), "food_renewal page 1, field business_form", False),
    ("checkbox group", field("business_items", "经营项目"), "food_renewal page 1, field business_items", False),
    ("page button", first_page_button, "food_renewal page 1", False),
    ("cascader", field("address", "所在地区"), "food_renewal page 2, field address", False),
    ("single checkbox", field("promise", "我承诺"), "food_renewal page 3, field promise", False),
    (
        "confirm dialog",
        setting("matters", "food_renewal", "confirm", "button", value="确定"),
        "food_renewal page 3",
        False,
    ),
]


@pytest.fixture(scope="module")
def element_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("element")
    settings = PlatformSettings(
        db_path=folder / "platform.db", layout="element", admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        yield url


def misfitting(world: World, url: str, change: Change) -> Platform:
    profile = yaml.safe_load((SHIPPED / "element.yaml").read_text(encoding="utf-8"))
    change(profile)
    platform = world.platform(url, "element")
    return replace(platform, profile=SiteProfile.model_validate(profile))


def attempts(world: World) -> list[str]:
    with world.engine.connect() as connection:
        return list(connection.execute(select(bot_attempts.c.outcome).order_by(bot_attempts.c.id)).scalars())


@pytest.mark.parametrize(("what", "change", "step", "searches"), MISFITS, ids=[m[0] for m in MISFITS])
def test_a_misfit_stops_the_round_with_evidence_and_no_outage(
    world: World, element_url: str, what: str, change: Change, step: str, searches: bool
) -> None:
    ids = world.seamless(2)
    if searches:  # an earlier run wrote the references: this one searches before filing
        with world.engine.begin() as connection:
            for case_id in ids:
                connection.execute(
                    update(cases).where(cases.c.id == case_id).values(platform_ref=platform_ref(case_id))
                )
    platform = misfitting(world, element_url, change)

    report = prefill_seamless(world.engine, platform, FAST, now)

    assert report.misfit and report.stopped_early and not report.login_refused
    assert report.parked == 0 and report.outcomes in ({}, {"misfit": 1}), "the first case met it, the second waits"
    assert [world.case(i)["state"] for i in ids] == ["consented", "consented"], "no case parked or moved"
    assert set(attempts(world)) <= {"misfit"}, "no outage, no transient failure counted against a case"
    kept = misfits.current(platform)
    assert kept is not None and kept["step"] == step
    assert kept["selector"] and Path(kept["evidence"]["screenshot"]).is_file()

    again = prefill_seamless(world.engine, platform, FAST, now)

    assert again.misfit and again.cases == 0 and "clear-misfit" in again.warnings[0]
    assert len(attempts(world)) == len(report.outcomes), "the next round did not go to the platform"


def test_the_operator_sees_the_kept_misfit_and_clears_it(tmp_path: Path) -> None:
    env = {"PROACTIVE_VAR_DIR": str(tmp_path), "PROACTIVE_PLATFORM__PROFILE": "element"}
    platform = platform_from(BotSettings(profile="element"), tmp_path, "http://127.0.0.1:9")
    assert platform is not None
    misfit = Misfit("food_renewal page 1, field issuer", "label 「发证机关」 in .el-form-item > .el-form-item__label")
    misfits.keep(platform, misfit, "prefill", 7, now())
    url = ["--url", "http://127.0.0.1:9"]

    shown = CliRunner().invoke(app, ["bots", "misfit", *url], env=env)
    cleared = CliRunner().invoke(app, ["bots", "clear-misfit", *url], env=env)
    after = CliRunner().invoke(app, ["bots", "misfit", *url], env=env)

    assert shown.exit_code == 0 and "发证机关" in shown.output and "clear-misfit" in shown.output, shown.output
    assert cleared.exit_code == 0 and misfits.current(platform) is None
    assert "no misfit kept" in after.output
