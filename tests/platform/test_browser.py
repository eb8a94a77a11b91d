"""One smoke test in a real browser: the standard wizard filled through labels and roles, then approved."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, FilePayload, Page, expect

from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.platform.conftest import FOOD, PDF


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def fill_step_1(page: Page) -> None:
    for label, name in [
        ("申请参考号", "reference"),
        ("经营者名称", "holder_name"),
        ("统一社会信用代码", "credit_code"),
    ]:
        page.get_by_label(label, exact=True).fill(str(FOOD[name]))
    page.get_by_label("法定代表人（负责人）").fill(str(FOOD["legal_rep"]))
    page.get_by_label("住所", exact=True).fill(str(FOOD["address"]))
    page.get_by_label("联系人", exact=True).fill(str(FOOD["contact_name"]))
    page.get_by_label("联系电话").fill("1381234567")  # one digit short: refused first
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("alert")).to_contain_text("联系电话应为11位手机号码")
    expect(page.get_by_label("经营者名称")).to_have_value(str(FOOD["holder_name"]))
    page.get_by_label("联系电话").fill(str(FOOD["contact_phone"]))
    page.get_by_role("button", name="下一步").click()


def fill_step_2(page: Page) -> None:
    expect(page.get_by_role("heading", name="原许可信息")).to_be_visible()
    page.get_by_label("许可证编号").fill(str(FOOD["licence_no"]))
    page.get_by_label("发证机关").select_option("鄂托克旗市场监督管理局")  # waits for the script to load it
    page.get_by_label("发证日期").fill(str(FOOD["issued_on"]))
    page.get_by_label("有效期至").fill(str(FOOD["expires_on"]))
    page.get_by_label("经营场所").fill(str(FOOD["premises"]))
    page.get_by_role("group", name="主体业态").get_by_label("餐饮服务经营者").check()
    items = page.get_by_role("group", name="经营项目")
    items.get_by_label("热食类食品制售", exact=True).check()
    items.get_by_label("自制饮品制售", exact=True).check()
    page.get_by_role("group", name="是否网络经营").get_by_label("否", exact=True).check()
    page.get_by_role("button", name="下一步").click()


def fill_step_3(page: Page) -> None:
    expect(page.get_by_role("heading", name="延续事项")).to_be_visible()
    page.get_by_role("group", name="经营条件是否发生变化").get_by_label("否", exact=True).check()
    page.get_by_label("食品安全管理人员").fill(str(FOOD["safety_manager"]))
    page.get_by_label("引用电子证照：营业执照").check()
    page.get_by_label("引用电子证照：食品经营许可证").check()
    page.get_by_label("领取方式").select_option("邮寄送达")
    page.get_by_label("收件人", exact=True).fill(str(FOOD["recipient"]))
    page.get_by_label("收件地址").fill(str(FOOD["recipient_address"]))
    page.get_by_label("备注（致审批人员）").fill(str(FOOD["remark"]))
    page.get_by_label("本人承诺所填信息真实有效，经营条件未发生变化").check()
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("alert")).to_contain_text("请上传延续申请书（PDF）")  # nothing was chosen
    upload = page.get_by_label("延续申请书（PDF）")
    upload.set_input_files(FilePayload(name="延续申请书.pdf", mimeType="application/pdf", buffer=b"not a PDF"))
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("alert")).to_contain_text("延续申请书（PDF）：只能上传PDF格式文件")
    upload.set_input_files(FilePayload(name="延续申请书.pdf", mimeType="application/pdf", buffer=PDF))
    page.get_by_role("button", name="下一步").click()


def test_the_standard_wizard_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    with serving(PlatformSettings(db_path=tmp_path / "platform.db")) as url:
        page = browser.new_page()
        log_in(page, f"{url}/login", "agent", "agent-pass")
        page.get_by_role("link", name="新建食品经营许可延续申请").click()
        fill_step_1(page)
        fill_step_2(page)
        fill_step_3(page)
        expect(page.get_by_role("heading", name="确认提交")).to_be_visible()
        page.get_by_role("button", name="确认提交").click()
        expect(page.get_by_role("heading", name="提交成功")).to_be_visible()
        number = re.findall(r"申请编号：(SQ\d{14})", page.get_by_text("申请编号：").inner_text())[0]

        approver = browser.new_page()  # a second context: the approver's own cookies
        log_in(approver, f"{url}/approver/login", "approver", "approver-pass")
        approver.get_by_role("link", name=number).click()
        expect(approver.get_by_role("heading", name="申请人备注")).to_be_visible()
        approver.get_by_label("退回原因").fill("请补充从业人员健康证明")
        approver.get_by_role("button", name="退回", exact=True).click()
        expect(approver.get_by_role("status")).to_contain_text(f"{number} 已退回")

        page.goto(f"{url}/applicant")
        page.get_by_label("许可证编号或申请参考号").fill(str(FOOD["reference"]))
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_role("row").filter(has_text=number)).to_contain_text("退回：请补充从业人员健康证明")
