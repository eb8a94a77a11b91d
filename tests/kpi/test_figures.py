"""The bureau's figures on a small hand-built history whose answers are known (SQLite and PostgreSQL), and the
command that prints and exports them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select, update
from typer.testing import CliRunner

from agent.cli import app
from domain.kpi.figures import FIGURES, Moments, Period, figures
from domain.kpi.reads import chase_moments, rating_moments, renewal_moments, subsidy_moments
from domain.ratings.follow_ups import Callback, record_callback
from domain.ratings.replies import answer_invitation
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.store.tables import cases, rating_follow_ups
from tests.notifications.conftest import MOBILE, CaseMaker, case_maker

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
OPENS = (date(2026, 11, 2), date(2027, 1, 4))  # a Monday: the window the filed cases share


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=SHANGHAI).astimezone(UTC)


def filed(store: Engine, add_case: CaseMaker, on: str, decided: str | None) -> None:
    case_id = add_case("consented", "seamless", expires_on=date(2027, 2, 1), window=OPENS)
    with store.begin() as connection:
        move_case(connection, case_id, State.PREFILLED, "filed", "test", at(on), application_no=f"SQ-{case_id}")
        if decided:
            move_case(connection, case_id, State.APPROVED, "approved", "test", at(decided), decided_at=at(decided, 16))


def lapsed(store: Engine, add_case: CaseMaker, on: str, found: str = "2026-11-01", **contact: str | None) -> None:
    """A licence that expired on 10 November unrenewed; its window closed on 20 October; its case opened on `found`."""
    case_id = add_case("routed", "remind", expires_on=date(2026, 11, 10), **contact)
    with store.begin() as connection:
        connection.execute(update(cases).where(cases.c.id == case_id).values(created_at=at(found)))
        move_case(connection, case_id, State.LAPSED, "lapsed", "test", at(on))


def subsidy(store: Engine, matched: str, paid: str | None, yuan: int) -> None:
    with store.begin() as connection:
        connection.execute(
            insert(cases).values(
                natural_key=f"subsidy:{matched}:{yuan}",
                kind="subsidy",
                state="paid" if paid else "routed",
                route="seamless",
                amount_yuan=yuan,
                paid_at=at(paid) if paid else None,
                created_at=at(matched),
                updated_at=at(matched),
            )
        )


def rated(store: Engine, add_case: CaseMaker, reply: str, on: str, called_back: str | None = None) -> None:
    case_id = add_case("done", "seamless")
    with store.begin() as connection:
        answer_invitation(connection, case_id, MOBILE, reply, CALENDAR, SHANGHAI, at(on))
        if called_back:
            follow_up = connection.execute(
                select(rating_follow_ups.c.id).where(rating_follow_ups.c.case_id == case_id)
            ).scalar_one()
            record_callback(connection, follow_up, Callback("已回访", "王芳"), at(called_back))


@pytest.fixture
def history(store: Engine) -> Engine:
    add_case = case_maker(store)
    filed(store, add_case, "2026-11-04", decided="2026-11-05")  # 2 working days after opening; decided in 1
    filed(store, add_case, "2026-11-06", decided="2026-11-10")  # 4; Friday to Tuesday: 2, past the promise of 1
    filed(store, add_case, "2026-11-09", decided=None)  # 5; not decided yet
    lapsed(store, add_case, "2026-11-11")  # with a mobile: reachable; found after its window had closed
    lapsed(store, add_case, "2026-11-12", mobile=None, address="")  # no mobile, no address: unreachable
    lapsed(store, add_case, "2026-11-12", found="2026-10-20")  # reachable and found on its window's last day
    subsidy(store, "2026-11-02", paid="2026-11-06", yuan=10_000)
    subsidy(store, "2026-11-03", paid=None, yuan=5_000)
    subsidy(store, "2026-10-20", paid="2026-12-01", yuan=7_000)  # paid after the period
    for reply in ("1", "非常满意", "满意", "基本满意"):
        rated(store, add_case, reply, "2026-11-16")
    rated(store, add_case, "不满意", "2026-11-03", called_back="2026-11-10")  # due 24 November: in time
    rated(store, add_case, "5", "2026-11-02", called_back="2026-11-25")  # due 23 November: late
    rated(store, add_case, "不满意", "2026-10-30")  # rated before the period
    rated(store, add_case, "好的", "2026-11-20")  # could not be read: no rating
    return store


def moments(engine: Engine) -> Moments:
    with engine.connect() as connection:
        return Moments(
            renewal_moments(connection, SHANGHAI),
            subsidy_moments(connection, SHANGHAI),
            rating_moments(connection, SHANGHAI),
            chase_moments(connection, SHANGHAI),
        )


def county_row(engine: Engine) -> Any:
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    return figures(moments(engine), NOVEMBER, calendar, {"food_business": 1}).loc["全县"]


def test_the_figures_of_a_known_month(history: Engine) -> None:
    row = county_row(history)

    assert (row["filed"], row["decided"], row["completion_rate"]) == (3, 2, 0.6667)
    assert (row["open_to_filing_wd"], row["filing_to_decision_wd"], row["within_promise"]) == (4.0, 1.5, 0.5)
    assert (row["lapsed"], row["lapsed_reachable"], row["lapsed_in_reach"]) == (3, 2, 1)
    assert (row["subsidies_matched"], row["subsidies_paid"], row["subsidies_paid_yuan"]) == (2, 1, 10_000)
    assert row["matched_to_paid_wd"] == 4.0
    assert (row["ratings"], row["satisfaction_rate"]) == (6, 0.6667)  # 4 of the 6 are 非常满意, 满意 or 基本满意
    assert (row["poor_ratings"], row["poor_closed_in_time"]) == (2, 1)


def test_an_empty_period_has_counts_of_zero_and_no_rates(history: Engine) -> None:
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    row = figures(moments(history), Period(date(2026, 6, 1), date(2026, 6, 30)), calendar, {}).loc["全县"]

    assert (row["filed"], row["lapsed"], row["ratings"]) == (0, 0, 0)
    assert row["completion_rate"] is None and row["within_promise"] is None and row["satisfaction_rate"] is None


def test_the_command_exports_the_figures_by_township_to_excel_and_draws_the_trends(
    history: Engine, tmp_path: Path
) -> None:
    env = {
        "PROACTIVE_DATABASE_URL": history.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    output, plots = tmp_path / "kpi.xlsx", tmp_path / "plots"
    arguments = ["kpi", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "township", "--format", "xlsx"]
    result = CliRunner().invoke(app, [*arguments, "--output", str(output), "--plots", str(plots)], env=env)

    assert result.exit_code == 0, result.output
    sheet = pd.read_excel(output, index_col=0)
    assert sheet.loc["全县", "代为提交（件）"] == 3 and "乌兰镇" in sheet.index
    assert sheet.loc["全县", "满意率"] == 0.6667
    assert len(list(plots.glob("*.png"))) == len(FIGURES)


def test_the_readme_defines_every_figure_as_the_code_does() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for key, figure in FIGURES.items():
        assert f"| {figure.label} | `{key}` | {figure.definition} |" in readme, key
