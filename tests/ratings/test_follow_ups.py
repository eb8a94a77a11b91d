"""A poor rating's follow-up: its deadline 15 working days on (the holidays and the adjusted working weekends
counted), the staff's list of open ones, the call-back recorded once, and the export in the national fields."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from rich.console import Console
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from agent.cli import app
from agent.cli_ratings import follow_ups_table
from domain.assistance.roster import load_roster
from domain.ratings.export import FIELDS
from domain.ratings.follow_ups import deadline
from domain.ratings.reads import open_follow_ups
from domain.ratings.replies import answer_invitation
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.store.tables import case_transitions, rating_follow_ups
from tests.notifications.conftest import MOBILE, CaseMaker, case_maker

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize(
    ("rated_on", "due_on"),
    [
        (date(2026, 11, 25), date(2026, 12, 16)),  # a Wednesday: three plain weeks on
        (date(2026, 11, 28), date(2026, 12, 18)),  # a Saturday: counted from the Monday
        # National Day: 1-7 October off, Saturday 10 October worked; plain weekdays would say 20 October
        (date(2026, 9, 29), date(2026, 10, 26)),
        (date(2026, 10, 3), date(2026, 10, 27)),  # rated on a holiday: the first working day counted is 8 October
    ],
)
def test_the_deadline_is_the_15th_working_day_after_the_rating(rated_on: date, due_on: date) -> None:
    assert deadline(CALENDAR, rated_on) == due_on


def rate(store: Engine, add_case: CaseMaker, body: str, at: datetime, **holder: str | None) -> int:
    case_id = add_case("done", "seamless", application_no="SQ202609290001", **holder)
    with store.begin() as connection:
        answer_invitation(connection, case_id, MOBILE, body, CALENDAR, SHANGHAI, at)
    return case_id


def shanghai(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
def add_case(store: Engine) -> CaseMaker:
    return case_maker(store)


def test_a_poor_rating_before_national_day_is_due_after_it(store: Engine, add_case: CaseMaker) -> None:
    rate(store, add_case, "非常不满意", shanghai("2026-09-29T20:30"))
    with store.connect() as connection:
        [follow_up] = open_follow_ups(connection)
    assert (follow_up["due_on"], follow_up["township"], follow_up["officer"]) == (date(2026, 10, 26), "乌兰镇", None)


def test_a_rating_late_at_night_counts_from_its_day_in_shanghai(store: Engine, add_case: CaseMaker) -> None:
    rate(store, add_case, "4", datetime(2026, 11, 24, 17, 0, tzinfo=UTC))  # 01:00 on the 25th in Shanghai
    with store.connect() as connection:
        assert connection.execute(select(rating_follow_ups.c.due_on)).scalar_one() == date(2026, 12, 16)


def test_the_list_flags_a_follow_up_past_its_deadline_and_names_the_townships_officer() -> None:
    row = {
        "id": 7,
        "case_id": 3,
        "holder_name": "乌兰镇第3号餐饮店",
        "township": "乌兰镇",
        "officer": None,
        "grade": 5,
        "rated_at": datetime(2026, 9, 29, 12, 30, tzinfo=UTC),
        "due_on": date(2026, 10, 26),
    }
    console = Console(width=200, record=True)
    roster = load_roster()
    console.print(follow_ups_table([row], date(2026, 10, 26), SHANGHAI, roster))
    console.print(follow_ups_table([row], date(2026, 10, 27), SHANGHAI, roster))
    on_the_day, the_day_after = console.export_text().split("待回访的差评")[1:]
    assert "办理中" in on_the_day and roster.label_of("乌兰镇") in on_the_day and "非常不满意" in on_the_day
    assert "逾期" in the_day_after


def cli(store: Engine, tmp_path: Path, *arguments: str) -> str:
    env = {
        "PROACTIVE_DATABASE_URL": store.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(app, ["ratings", *arguments], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_follow_ups_as_json_and_csv_give_the_deadline_and_the_grade(
    store: Engine, add_case: CaseMaker, tmp_path: Path
) -> None:
    case_id = rate(store, add_case, "非常不满意", shanghai("2026-11-25T10:00"))

    [listed] = json.loads(cli(store, tmp_path, "follow-ups", "--json"))
    as_csv = cli(store, tmp_path, "follow-ups", "--csv").splitlines()

    assert (listed["case_id"], listed["grade"], listed["grade_label"]) == (case_id, 5, "非常不满意")
    assert listed["due_on"] == "2026-12-16" and listed["rated_at"].startswith("2026-11-25T10:00")
    assert as_csv[0].startswith("id,case_id,holder_name") and f",{case_id}," in as_csv[1]


def test_staff_record_the_call_back_once_and_the_follow_up_leaves_the_list(
    store: Engine, add_case: CaseMaker, tmp_path: Path
) -> None:
    case_id = rate(store, add_case, "不满意", shanghai("2026-11-25T10:00"))
    assert "2026-12-16" in cli(store, tmp_path, "follow-ups")

    note = "已电话回访，经营者对补办说明表示理解"
    cli(store, tmp_path, "callback", "1", "--note", note, "--by", "王芳", "--rectification", "已在办事指南中补充说明")

    assert "2026-12-16" not in cli(store, tmp_path, "follow-ups")
    with store.connect() as connection:
        closed = connection.execute(select(rating_follow_ups)).mappings().one()
        entry = connection.execute(
            select(case_transitions.c.reason, case_transitions.c.actor).order_by(case_transitions.c.id.desc())
        ).first()
    assert (closed["callback_note"], closed["called_back_by"], closed["rectification"]) == (
        note,
        "王芳",
        "已在办事指南中补充说明",
    )
    assert entry is not None and (entry.reason, entry.actor) == (f"回访 recorded by 王芳: {note}", "王芳")
    again = CliRunner().invoke(
        app,
        ["ratings", "callback", "1", "--note", "再次回访", "--by", "王芳"],
        env={"PROACTIVE_DATABASE_URL": store.url.render_as_string(hide_password=False)},
    )
    assert again.exit_code == 1 and "already recorded" in again.output
    assert case_id == closed["case_id"]
    cli(store, tmp_path, "export", "--output", str(tmp_path / "ratings.csv"))
    [exported] = pd.read_csv(tmp_path / "ratings.csv", dtype=str).to_dict("records")
    assert (exported["差评整改情况"], exported["回访情况"], exported["按期办结"]) == (
        "已在办事指南中补充说明",
        note,
        "是",
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_export_has_the_national_fields_with_the_mobile_masked(
    store: Engine, add_case: CaseMaker, tmp_path: Path, suffix: str
) -> None:
    rate(store, add_case, "满意", shanghai("2026-11-25T10:00"))
    rate(store, add_case, "非常不满意", shanghai("2025-11-25T11:00"))  # due 16 December 2025, long past
    output = tmp_path / f"ratings{suffix}"
    cli(store, tmp_path, "export", "--output", str(output))

    sheet = pd.read_csv(output, dtype=str) if suffix == ".csv" else pd.read_excel(output, dtype=str)
    assert list(sheet.columns) == list(FIELDS)
    poor, good = sheet.fillna("").to_dict("records")  # oldest first
    assert (good["评价编号"], good["事项名称"], good["办件编号"]) == (
        "PJ00000001",
        "食品经营许可证延续",
        "SQ202609290001",
    )
    assert (good["评价渠道"], good["评价等级"], good["评价时间"]) == ("短信", "满意", "2026-11-25 10:00:00")
    assert (good["评价人"], good["评价人手机号"], good["所属乡镇"]) == ("乌兰镇第1号餐饮店", "139****5678", "乌兰镇")
    assert (good["整改期限"], good["按期办结"]) == ("", "")
    assert (poor["评价编号"], poor["评价等级"], poor["整改期限"]) == ("PJ00000002", "非常不满意", "2025-12-16")
    assert (poor["回访情况"], poor["按期办结"]) == ("", "否")  # not called back, and past its deadline


def test_the_readme_defines_every_export_field() -> None:
    readme = README.read_text(encoding="utf-8")
    for name, definition in FIELDS.items():
        assert f"| {name} | {definition} |" in readme, name
