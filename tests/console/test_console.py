"""The console in the real browser, one role at a time: what each may see and do and what it is refused, the CSRF
check, the lockout, a session's end, the audit log. Set PROACTIVE_CONSOLE_SHOTS to a folder to keep a screenshot
of each page (docs/console holds the README's)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from agent.jobs import NO_MODEL, REFRESH_JOB_ID, left_unrouted, recorded_run
from domain.access.audit import recent
from ground.store.tables import cases, work_log
from tests.console.conftest import PASSWORD, Desk, signed_in

SHOTS = os.environ.get("PROACTIVE_CONSOLE_SHOTS")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _state(desk: Desk, case: str) -> str:
    with desk.store.connect() as connection:
        return str(connection.execute(select(cases.c.state).where(cases.c.id == desk.cases[case])).scalar_one())


def _actions(desk: Desk) -> list[tuple[str, str]]:
    with desk.store.connect() as connection:
        return [(entry.username, entry.action) for entry in recent(connection)]


def test_a_page_asks_for_sign_in_first_and_every_answer_has_the_security_headers(browser: Browser, desk: Desk) -> None:
    page = browser.new_page()
    response = page.goto(f"{desk.url}/cases")
    assert page.url == f"{desk.url}/signin"
    assert response is not None
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    expect(page.get_by_role("note")).to_contain_text("模拟")  # the stand-ins are named on every page
    _shot(page, "signin")


def test_a_supervisor_sees_the_figures_and_releases_a_parked_case_with_a_note(browser: Browser, desk: Desk) -> None:
    page = signed_in(browser, desk, "boss")
    expect(page.get_by_role("heading", level=1)).to_contain_text("本局指标")
    expect(page.locator("table.figures")).to_contain_text("满意率")
    expect(page.locator("svg.chart")).to_have_count(6)
    _shot(page, "dashboard")
    page.get_by_role("link", name="待人工处理").click()
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    _shot(page, "parked")
    case_id = desk.cases["parked_wulan"]
    page.get_by_label(f"案件 {case_id} 处理说明").fill("已核实经营场所，平台字段已修复")
    page.get_by_label(f"案件 {case_id} 处理说明").press("Enter")
    expect(page.locator("ol.timeline")).to_contain_text("工作人员恢复办理：已核实经营场所")
    _shot(page, "case")
    assert _state(desk, "parked_wulan") == "routed"
    assert ("boss", "released case") in _actions(desk)


def test_a_read_only_user_sees_and_exports_but_cannot_release(browser: Browser, desk: Desk) -> None:
    page = signed_in(browser, desk, "viewer")
    page.goto("/queues/parked")
    expect(page.get_by_role("button", name="恢复办理")).to_have_count(0)
    page.goto("/cases")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert exported.splitlines()[0].startswith("编号,类别,状态") and len(exported.splitlines()) == 5
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    case_id = desk.cases["parked_qipanjing"]
    refused = page.request.post(f"/cases/{case_id}/release", form={"csrf": token or "", "note": "试图恢复"})
    assert refused.status == 403 and "无权" in refused.text()
    assert _state(desk, "parked_qipanjing") == "parked"
    assert ("viewer", "refused") in _actions(desk) and ("viewer", "export") in _actions(desk)


def test_an_officer_sees_only_their_townships_and_logs_their_work(browser: Browser, desk: Desk) -> None:
    page = signed_in(browser, desk, "wanglei")
    page.goto("/cases")
    expect(page.locator("table.list tbody tr")).to_have_count(2)  # 乌兰镇's parked and assisted, not 棋盘井镇's
    other = page.goto(f"/cases/{desk.cases['assisted_qipanjing']}")
    assert other is not None and other.status == 403
    page.goto("/queues/assisted")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    case_id = desk.cases["assisted_wulan"]
    page.get_by_label(f"案件 {case_id} 情况说明").fill("电话联系持证人，约定周三上门")
    page.get_by_role("button", name="记录").click()
    expect(page.locator("table.list")).to_contain_text("电话联系 电话联系持证人")
    _shot(page, "assisted")
    with desk.store.connect() as connection:
        logged = [tuple(row) for row in connection.execute(select(work_log.c.officer_id, work_log.c.case_id))]
    assert logged == [("bb01", case_id)]


def test_a_form_without_the_session_csrf_token_is_refused(browser: Browser, desk: Desk) -> None:
    page = signed_in(browser, desk, "boss")
    case_id = desk.cases["parked_wulan"]
    forged = page.request.post(f"/cases/{case_id}/release", form={"csrf": "forged", "note": "伪造请求"})
    assert forged.status == 403
    assert _state(desk, "parked_wulan") == "parked"
    assert ("boss", "refused") in _actions(desk)


def test_wrong_passwords_lock_the_account_and_say_so(browser: Browser, desk: Desk) -> None:
    page = browser.new_page(base_url=desk.url)
    for attempt in range(3):
        page.goto("/signin")
        page.get_by_label("用户名").fill("boss")
        page.get_by_label("密码").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("已锁定")
    page.goto("/signin")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("已锁定")
    assert page.url == f"{desk.url}/signin"


def test_an_idle_session_ends_and_the_next_page_asks_for_sign_in(browser: Browser, desk: Desk) -> None:
    page = signed_in(browser, desk, "viewer")
    desk.clock.advance(timedelta(minutes=31))
    page.goto("/cases")
    assert page.url == f"{desk.url}/signin"


def test_the_audit_log_shows_each_staff_action_to_the_administrator_only(browser: Browser, desk: Desk) -> None:
    officer = signed_in(browser, desk, "wanglei")
    assert (response := officer.goto("/audit")) is not None and response.status == 403
    page = signed_in(browser, desk, "admin")
    page.goto("/audit")
    expect(page.locator("table.list")).to_contain_text("wanglei")
    expect(page.locator("table.list")).to_contain_text("登录")
    expect(page.locator("table.list")).to_contain_text("无权限操作被拒绝")  # the officer's try at /audit
    _shot(page, "audit")
    with recorded_run(desk.store, REFRESH_JOB_ID) as run:  # no model: the night's cases wait unrouted
        left_unrouted(run, 3, NO_MODEL)
    page.goto("/service")
    expect(page.get_by_role("heading", name="分流模型")).to_be_visible()
    refresh_row = page.locator("tr", has_text="读取登记数据并扫描到期许可")
    expect(refresh_row).to_contain_text("部分完成")
    expect(refresh_row).to_contain_text("案件未分流：尚未训练模型（请运行 proactive model train）；3件案件等待")
    _shot(page, "service")


def test_anyone_may_ask_why_a_subject_qualifies_and_only_a_supervisor_may_preview_a_draft(
    browser: Browser, desk: Desk, tmp_path: Path
) -> None:
    reader = signed_in(browser, desk, "viewer")
    reader.goto("/policies")
    expect(reader.get_by_role("heading", name="政策草案影响预览")).to_have_count(0)
    reader.get_by_label("统一社会信用代码").fill("91150624MA00000001")
    reader.get_by_label("政策").select_option(label="吸纳高校毕业生就业补贴")
    reader.get_by_role("button", name="查询").click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("不符合")  # a restaurant hired no graduates
    expect(reader.locator("table.list")).to_contain_text("上年新招用高校毕业生 ≥ 1人")
    token = reader.locator("input[name=csrf]").first.get_attribute("value") or ""
    refused = reader.request.post("/policies/preview", multipart={"csrf": token})
    assert refused.status == 403
    draft = tmp_path / "graduate_hiring_subsidy.yaml"
    shipped = Path("policies/graduate_hiring_subsidy.yaml").read_text(encoding="utf-8")
    draft.write_text(shipped.replace("op: ge, value: 1}", "op: ge, value: 0}"), encoding="utf-8")
    boss = signed_in(browser, desk, "boss")
    boss.goto("/policies")
    boss.get_by_label("政策草案（YAML）").set_input_files(draft)
    boss.get_by_role("button", name="预览").click()
    expect(boss.get_by_role("heading", level=1)).to_contain_text("若发布 graduate_hiring_subsidy")
    expect(boss.locator("p.warn").first).to_contain_text("未保存任何数据")
    _shot(boss, "preview")
    assert ("boss", "previewed draft") in _actions(desk)
