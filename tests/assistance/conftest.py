"""A small county of renewals staff help with, in known townships: assisted ones, a returned one, one in a township
no officer serves, one with no township on record, and a seamless one that is nobody's to help with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from agent.cli import app
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from tests.notifications.conftest import SHANGHAI, case_maker

RETURNED_AT = datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI).astimezone(UTC)


@dataclass(frozen=True)
class County:
    store: Engine
    wulan: int  # assisted, 乌兰镇 (bb01)
    qipanjing: int  # returned by the approver, 棋盘井镇 (bb02)
    chabu: int  # assisted, 查布苏木: no officer serves it
    nowhere: int  # assisted, no township on record
    seamless: int  # routed seamless: not on any worklist


@pytest.fixture
def county(store: Engine) -> County:
    add_case = case_maker(store)
    returned = add_case("prefilled", "seamless", township="棋盘井镇", application_no="SQ7")
    with store.begin() as connection:
        move_case(
            connection,
            returned,
            State.RETURNED,
            "approver returned application SQ7",
            "bot:status_sync",
            RETURNED_AT,
            details={"return_reason": "经营场所地址与营业执照登记地址不一致"},
            route="assisted",
        )
    return County(
        store,
        add_case("routed", "assisted", township="乌兰镇"),
        returned,
        add_case("routed", "assisted", township="查布苏木", address="内蒙古自治区鄂尔多斯市鄂托克旗查布苏木"),
        add_case("routed", "assisted", township=None),
        add_case("routed", "seamless", township="乌兰镇"),
    )


def invoke(county: County, tmp_path: Path, *arguments: str) -> Result:
    env = {
        "PROACTIVE_DATABASE_URL": county.store.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    return CliRunner().invoke(app, list(arguments), env=env)
