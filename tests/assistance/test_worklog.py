"""The work log (SQLite and PostgreSQL): each entry in the log and the ledger at once, by the township's officer;
filing in the holder's name only with the holder's 委托; materials received stop the reminders; the 台账 export."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from domain.assistance.actions import Action
from domain.assistance.roster import load_roster
from domain.assistance.worklog import WorkLogRefused, log_work
from ground.store.tables import case_transitions, cases, work_log
from tests.assistance.conftest import RETURNED_AT, County, invoke

OFFICER = load_roster().officer("bb01")
COLUMNS = [
    "记录编号",
    "记录时间",
    "案件编号",
    "许可证编号",
    "持证主体",
    "乡镇",
    "工号",
    "帮办人员",
    "工作事项",
    "工作内容",
    "委托书编号",
]


def entries(store: Engine) -> list[dict[str, object]]:
    with store.connect() as connection:
        return [dict(row) for row in connection.execute(select(work_log).order_by(work_log.c.id)).mappings()]


def test_a_call_is_logged_and_in_the_ledger_by_the_townships_officer(county: County, tmp_path: Path) -> None:
    result = invoke(
        county, tmp_path, "worklog", str(county.wulan), "called", "--note", "电话联系法定代表人，约定周五送材料"
    )
    assert result.exit_code == 0, result.output
    (entry,) = entries(county.store)
    assert (entry["case_id"], entry["officer_id"], entry["officer_name"], entry["action"]) == (
        county.wulan,
        "bb01",
        "王磊",
        "called",
    )
    with county.store.connect() as connection:
        ledger = connection.execute(select(case_transitions).where(case_transitions.c.actor == "officer:bb01")).one()
    assert ledger.reason == "work log: called by bb01 王磊: 电话联系法定代表人，约定周五送材料"
    assert ledger.old_state == ledger.new_state == "routed"
    shown = invoke(county, tmp_path, "worklist", "bb01").output
    assert "电话联系：电话联系法定代表人，约定周五送材料" in shown  # the officer's worklist shows the last entry


def test_filing_in_the_holders_name_needs_the_mandate(county: County, tmp_path: Path) -> None:
    refused = invoke(county, tmp_path, "worklog", str(county.qipanjing), "filed", "--note", "已在平台代为提交")
    assert refused.exit_code == 1 and "needs the holder's 委托 reference (--mandate)" in refused.output
    assert entries(county.store) == []

    done = invoke(
        county,
        tmp_path,
        "worklog",
        str(county.qipanjing),
        "filed",
        "--note",
        "已在平台代为提交",
        "--mandate",
        "WT-2026-0031",
    )
    assert done.exit_code == 0, done.output
    (entry,) = entries(county.store)
    assert (entry["officer_id"], entry["action"], entry["mandate_ref"]) == ("bb02", "filed", "WT-2026-0031")


def test_materials_received_are_recorded_on_the_case_so_its_reminders_stop(county: County) -> None:
    with county.store.begin() as connection:
        log_work(connection, county.wulan, OFFICER, Action.MATERIALS, "延续申请书（已签字）", None, RETURNED_AT)
    with county.store.connect() as connection:
        received = connection.execute(select(cases.c.materials_received).where(cases.c.id == county.wulan)).scalar_one()
    assert received["items"] == ["延续申请书（已签字）"]


def test_a_case_of_a_township_nobody_serves_needs_an_officer_named(county: County, tmp_path: Path) -> None:
    refused = invoke(county, tmp_path, "worklog", "add", str(county.chabu), "visited", "--note", "上门核实经营场所")
    assert refused.exit_code == 1 and "no officer serves the township '查布苏木'" in refused.output
    named = invoke(
        county, tmp_path, "worklog", "add", str(county.chabu), "visited", "--note", "上门核实", "--officer", "bb03"
    )
    assert named.exit_code == 0, named.output


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("missing", "is not an open renewal (no such case)"),  # an id nobody has
        ("lapsed", "is not an open renewal (lapsed)"),  # a closed case takes no more work
    ],
)
def test_an_entry_on_a_case_that_is_not_open_is_refused(county: County, case: str, why: str) -> None:
    case_id = 9999 if case == "missing" else county.wulan
    with county.store.begin() as connection:
        if case == "lapsed":
            connection.execute(cases.update().where(cases.c.id == case_id).values(state="lapsed"))
        with pytest.raises(WorkLogRefused, match=re.escape(why)):
            log_work(connection, case_id, OFFICER, Action.CALLED, "电话", None, RETURNED_AT)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_work_log_exports_as_the_bureaus_ledger(county: County, tmp_path: Path, suffix: str) -> None:
    with county.store.begin() as connection:
        log_work(
            connection, county.qipanjing, load_roster().officer("bb02"), Action.FILED, "代为提交", "WT-7", RETURNED_AT
        )
    output = tmp_path / f"台账{suffix}"
    result = invoke(county, tmp_path, "worklog", "export", "--output", str(output))
    assert result.exit_code == 0, result.output

    table = (
        pd.read_excel(output, dtype=str) if suffix == ".xlsx" else pd.read_csv(output, dtype=str, encoding="utf-8-sig")
    )
    assert list(table.columns) == COLUMNS
    row = table.iloc[0]
    assert (row["案件编号"], row["乡镇"], row["帮办人员"], row["工作事项"], row["委托书编号"]) == (
        str(county.qipanjing),
        "棋盘井镇",
        "李娜",
        "代办提交",
        "WT-7",
    )
    assert row["记录时间"] == "2026-11-20 15:00"  # Asia/Shanghai


def test_the_csv_opens_in_excel_as_utf8(county: County, tmp_path: Path) -> None:
    output = tmp_path / "台账.csv"
    invoke(county, tmp_path, "worklog", "export", "--output", str(output))
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert next(csv.reader(output.open(encoding="utf-8-sig"))) == COLUMNS
