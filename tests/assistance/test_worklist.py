"""Assignment by township and the officers' worklists (SQLite and PostgreSQL): each assisted or returned renewal
goes to its township's officer; one whose township no officer serves is listed as unassigned, with the township."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from domain.assistance.roster import load_roster
from domain.assistance.worklist import assign, worklist_cases
from tests.assistance.conftest import County, invoke
from tests.notifications.conftest import SHANGHAI, case_maker


def test_each_case_goes_to_the_officer_of_its_township(county: County) -> None:
    with county.store.connect() as connection:
        by_officer = assign(worklist_cases(connection), load_roster())
    ids = {officer: [row["id"] for row in rows] for officer, rows in by_officer.items()}
    assert ids == {"bb01": [county.wulan], "bb02": [county.qipanjing], None: [county.chabu, county.nowhere]}


def test_an_officers_worklist_says_what_each_case_needs(county: County, tmp_path: Path) -> None:
    result = invoke(county, tmp_path, "worklist", "bb02")
    assert result.exit_code == 0, result.output
    assert "李娜（bb02） · 棋盘井镇（1件）" in result.output
    assert "审批退回" in result.output and "退回原因：经营场所地址与营业执照登记地址不一致" in result.output
    assert "王磊（bb01）" not in result.output and "未分配" not in result.output  # only the officer asked for


def test_the_whole_worklist_lists_the_unassigned_with_their_township(county: County, tmp_path: Path) -> None:
    result = invoke(county, tmp_path, "worklist")
    assert result.exit_code == 0, result.output
    unassigned = result.output[result.output.index("未分配：乡镇不在帮办人员名册中（2件") :]
    assert "查布苏木" in unassigned and "（无记录）" in unassigned
    assert "待补：食品经营许可延续申请书" in result.output  # the assisted case's materials, asked for at once


def test_the_worklist_as_json_has_each_case_with_its_officer_and_needs(county: County, tmp_path: Path) -> None:
    result = invoke(county, tmp_path, "worklist", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    officers = {row["case_id"]: row["officer_id"] for row in listed}
    assert officers == {county.wulan: "bb01", county.qipanjing: "bb02", county.chabu: None, county.nowhere: None}
    returned = next(row for row in listed if row["case_id"] == county.qipanjing)
    assert returned["state"] == "returned" and returned["officer_name"] == "李娜"
    assert "经营场所地址与营业执照登记地址不一致" in returned["needs"]


def test_one_officers_worklist_as_csv_has_only_that_officers_cases(county: County, tmp_path: Path) -> None:
    result = invoke(county, tmp_path, "worklist", "bb01", "--csv")
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["case_id"], row["officer_id"], row["township"]) == (str(county.wulan), "bb01", "乌兰镇")
    assert "食品经营许可延续申请书" in row["needs"]


def test_an_unknown_officer_is_named(county: County, tmp_path: Path) -> None:
    result = invoke(county, tmp_path, "worklist", "zz99")
    assert result.exit_code == 1 and "no officer 'zz99' in the roster" in result.output


def test_a_renewal_past_its_last_filing_day_asks_for_no_materials(store: Engine, tmp_path: Path) -> None:
    """Its window closed (the food rules refuse a late application): the officer is told it cannot be renewed,
    not to collect materials for a filing the law no longer allows."""
    today = datetime.now(SHANGHAI).date()
    closed = today - timedelta(days=3)
    add_case = case_maker(store)
    add_case("routed", "assisted", expires_on=today + timedelta(days=18), window=(closed - timedelta(days=60), closed))
    result = invoke(County(store, 0, 0, 0, 0, 0), tmp_path, "worklist", "bb01")
    assert result.exit_code == 0, result.output
    assert f"已过延续申请期限（{closed}），不能再延续" in result.output
    assert "待补" not in result.output
