"""The words staff read for stored codes: a subsidy is never called a renewal, an unknown code still shows."""

from __future__ import annotations

from agent.console.labels import STATES, audit_action, audit_detail, job_word, route_word, schedule_word, word


def test_a_route_is_named_in_the_words_of_its_case_kind() -> None:
    assert route_word("renewal", "seamless") == "无感续证"
    assert route_word("subsidy", "seamless") == "免申即享"
    assert route_word("subsidy", None) == "—"


def test_a_code_with_no_word_is_shown_as_stored() -> None:
    assert word(STATES, "archived") == "archived"


def test_jobs_and_their_schedules_read_in_chinese() -> None:
    assert job_word("registry-refresh") == job_word("registry-refresh-on-start") == "读取登记数据并扫描到期许可"
    assert job_word("a-script") == "a-script"
    assert schedule_word("every 5 min") == "每5分钟"
    assert schedule_word("cron 0 2 * * *") == "定时（cron 0 2 * * *）"
    assert schedule_word("not scheduled") == "未排程（手动运行）"


def test_an_audit_entry_reads_in_chinese_and_an_unknown_field_keeps_its_name() -> None:
    assert audit_action("sign-in refused") == "登录被拒绝"
    assert audit_action("a-new-action") == "a-new-action"
    assert audit_detail({"why": "locked", "rows": 3, "extra": "x"}) == "原因：locked；行数：3；extra：x"
