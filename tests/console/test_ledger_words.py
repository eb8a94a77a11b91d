"""The ledger in the console's words: entries written by the real steps read in Chinese, with their values; an entry
of a form the console does not know is shown as written."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from agent.console.ledger_words import ledger_words
from domain.assistance.actions import Action
from domain.assistance.roster import load_roster
from domain.assistance.worklog import log_work
from domain.ratings.follow_ups import Callback, record_callback
from domain.ratings.replies import answer_invitation
from domain.renewals.consent import parse_answer, record_answer
from domain.scan.windows import withdrawal_reason
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.cases.reads import ledger
from ground.cases.release import release_parked
from tests.notifications.conftest import MOBILE, case_maker

AT = datetime(2026, 11, 25, 2, tzinfo=UTC)
CALENDAR = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
ENGLISH = re.compile(r"\b[a-z]{3,}\b")  # a word of a sentence; codes (SQ…, JY…, bb01) are not lower-case words


def test_the_steps_entries_read_in_chinese_with_their_values(store: Engine) -> None:
    add = case_maker(store)
    consenting, assisted, rated, parked = (
        add("awaiting_consent", "seamless"),
        add("routed", "assisted"),
        add("done", "seamless", application_no="SQ202609290001"),
        add("routed", "seamless"),
    )
    agreed = parse_answer("１")
    assert agreed is not None
    with store.begin() as connection:
        record_answer(connection, consenting, agreed, "SMS reply '１'", "holder", AT)
        officer = load_roster().officer("bb01")
        log_work(connection, assisted, officer, Action.MATERIALS, "延续申请书（已签字）", None, AT)
        answer_invitation(connection, rated, MOBILE, "4", CALENDAR, ZoneInfo("Asia/Shanghai"), AT)
        record_callback(connection, 1, Callback("已电话回访", "王芳", None), AT)
        move_case(connection, parked, State.PARKED, "平台拒绝：经营场所字段无法填写", "bot:prefill", AT)
        release_parked(connection, parked, "已核实经营场所", "王芳", AT)
        entries = [entry.reason for case in (consenting, assisted, rated, parked) for entry in ledger(connection, case)]

    shown = [ledger_words(reason) for reason in entries]

    assert [words for words in shown if ENGLISH.search(words)] == []
    assert "持证人已授权代为申请（短信回复 '１'）" in shown
    assert "帮办记录：收到材料（王磊，bb01）：延续申请书（已签字）" in shown
    assert "评价：不满意（短信回复 '4'）" in shown
    assert any(words.startswith("差评：整改及回访期限 2026-12-") for words in shown)
    assert "王芳已回访：已电话回访" in shown and "工作人员恢复办理：已核实经营场所" in shown


def test_a_withdrawal_says_why_in_chinese() -> None:
    assert ledger_words(withdrawal_reason(None, None, None)) == "登记数据中已无此许可证"
    renewed = withdrawal_reason("valid", "active", "2031-12-06")
    assert ledger_words(renewed) == "许可证有效期已至 2031-12-06：已通过其他途径延续"


def test_a_routing_entry_names_the_route_the_score_and_the_threshold() -> None:
    assert ledger_words("route seamless: score 0.966 ≥ seamless threshold 0.878") == (
        "分流为无感续证：模型评分 0.966 ≥ 无感续证阈值 0.878"
    )
    hard = "route assisted: hard rule — 无有效联系手机，需工作人员联系后协助办理 (score 0.431 not used)"
    assert ledger_words(hard) == "分流为帮办代办：无有效联系手机，需工作人员联系后协助办理（未采用模型评分 0.431）"


def test_an_entry_of_an_unknown_form_is_shown_as_written() -> None:
    assert ledger_words("something new happened") == "something new happened"
    assert (
        ledger_words("符合「吸纳高校毕业生就业补贴」（2025），金额1000元")
        == "符合「吸纳高校毕业生就业补贴」（2025），金额1000元"
    )
