"""The chases sent and the figures by service officer, on a small hand-built November whose answers are known
(SQLite and PostgreSQL): cases filed in three townships, chased by the real chase round, one decided in time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from agent.cli import app
from domain.kpi.figures import Moments, Period, figures
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from tests.chasing.conftest import CALENDAR, at, run_chases
from tests.kpi.test_figures import moments
from tests.notifications.conftest import case_maker

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def chased(store: Engine) -> Engine:
    add_case = case_maker(store)

    def filed(township: str, on: str) -> int:
        case_id = add_case("consented", "seamless", township=township, address=f"鄂托克旗{township}")
        with store.begin() as connection:
            move_case(
                connection, case_id, State.PREFILLED, "filed", "bot:prefill", at(on), application_no=f"SQ{case_id}"
            )
        return case_id

    def decided(case_id: int, on: str) -> None:
        with store.begin() as connection:
            move_case(connection, case_id, State.APPROVED, "approved", "test", at(on), decided_at=at(on))

    wulan = filed("乌兰镇", "2026-11-02")  # Monday: overdue from Wednesday
    decided(filed("棋盘井镇", "2026-11-04"), "2026-11-05")  # decided in time: never chased
    for day in ("2026-11-04", "2026-11-05", "2026-11-06"):  # the contact twice, then the supervisor
        run_chases(store, day)
    decided(wulan, "2026-11-09")
    filed("查布苏木", "2026-11-26")  # Thursday, in a township no officer serves
    for day in ("2026-11-30", "2026-12-01"):  # chased on Monday, and once more after the period
        run_chases(store, day)
    return store


def test_the_chases_of_the_month_county_and_by_officer(chased: Engine) -> None:
    by_officer = {"乌兰镇": "王磊（bb01）", "棋盘井镇": "李娜（bb02）"}
    read = Moments(
        *(
            frame.assign(officer=frame["township"].map(lambda town: by_officer.get(town, "未分配")))
            for frame in moments(chased)
        )
    )
    table = figures(read, NOVEMBER, CALENDAR, {"food_business": 1}, "officer")

    shown = table[["filed", "decided", "chases", "chases_escalated"]].astype(int).to_dict("index")
    assert shown == {
        "全县": {"filed": 3, "decided": 2, "chases": 4, "chases_escalated": 1},
        "未分配": {"filed": 1, "decided": 0, "chases": 1, "chases_escalated": 0},
        "李娜（bb02）": {"filed": 1, "decided": 1, "chases": 0, "chases_escalated": 0},
        "王磊（bb01）": {"filed": 1, "decided": 1, "chases": 3, "chases_escalated": 1},
    }


def test_the_command_groups_by_the_rosters_officers(chased: Engine, tmp_path: Path) -> None:
    env = {
        "PROACTIVE_DATABASE_URL": chased.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    output = tmp_path / "kpi.csv"
    arguments = ["kpi", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "officer", "--format", "csv"]
    result = CliRunner().invoke(app, [*arguments, "--output", str(output)], env=env)

    assert result.exit_code == 0, result.output
    sheet = pd.read_csv(output, index_col=0, encoding="utf-8-sig")
    assert sheet["催办（次）"].to_dict() == {"全县": 4, "未分配": 1, "李娜（bb02）": 0, "王磊（bb01）": 3}
    assert sheet.loc["王磊（bb01）", "其中督办分管负责人（次）"] == 1
