"""The Element build in a real browser, used the way a person uses it: click the read-only input and pick from the
list appended to <body>, pick dates in the panel, click the visible label of a hidden radio, confirm the dialog,
read the number, then find the application in the paged, split table by a search."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.platform.conftest import FOOD, PDF, SUBSIDY
from tests.platform.element import ElementPortal

MONTHS = ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"]
LEAVING = "body > .el-popper.el-zoom-in-top-leave-active"  # a list or panel closing (Element animates it 0.3 s)


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    with serving(PlatformSettings(db_path=tmp_path / "platform.db", layout="element", admin=True)) as base_url:
        yield base_url


@pytest.fixture
def page(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/web/affairs")
    page.get_by_placeholder("请输入登录账号").fill("agent")
    page.get_by_placeholder("请输入登录密码").fill("agent-pass")
    page.get_by_role("button", name="登 录").click()
    expect(page.locator(".el-menu-item.is-active")).to_have_text("办件查询")
    return page


@dataclass
class Form:
    """The visible step of the wizard, its items found by their labels (which no input is tied to)."""

    page: Page

    def item(self, label: str) -> Locator:
        text = self.page.locator("form:visible .el-form-item__label", has_text=re.compile(f"^{re.escape(label)}$"))
        return text.locator("xpath=..")

    def type(self, label: str, value: str) -> None:
        self.item(label).locator("input, textarea").fill(value)

    def choose(self, label: str, option: str) -> None:
        self.item(label).locator("input").click()
        self.page.locator("body > .el-select-dropdown:visible li").get_by_text(option, exact=True).click()
        self.closed()

    def date(self, label: str, iso: str) -> None:
        year, month, day = (int(part) for part in iso.split("-"))
        self.item(label).locator("input").click()
        panel = self.page.locator("body > .el-picker-panel:visible")
        panel.locator(".el-date-picker__header-label").first.click()  # the year: a table of ten years
        decade = panel.locator(".el-date-picker__header-label").first
        while not (int(decade.inner_text()[:4]) <= year <= int(decade.inner_text()[:4]) + 9):
            earlier = year < int(decade.inner_text()[:4])
            panel.get_by_role("button", name="前一年" if earlier else "后一年").click()
        panel.locator(".el-year-table .cell").get_by_text(str(year), exact=True).click()
        panel.locator(".el-month-table .cell").get_by_text(MONTHS[month - 1], exact=True).click()
        panel.locator(".el-date-table td.available").get_by_text(str(day), exact=True).click()
        self.closed()

    def radio(self, label: str, option: str) -> None:
        self.item(label).get_by_role("radio", name=option, exact=True).click()

    def tick(self, label: str, *options: str) -> None:
        for option in options:
            self.item(label).locator(".el-checkbox__label").get_by_text(option, exact=True).click()

    def region(self, label: str, *path: str) -> None:
        self.item(label).locator("input").click()
        menus = self.page.locator("body > .el-cascader__dropdown:visible")
        for name in path:
            menus.locator(".el-cascader-node").get_by_text(name, exact=True).click()
        self.closed()

    def upload(self, label: str, name: str, content: bytes) -> None:
        """点击上传, then the file in the browser's file chooser (the native input itself is hidden)."""
        with self.page.expect_file_chooser() as chooser:
            self.item(label).get_by_role("button", name="点击上传").click()
        chooser.value.set_files({"name": name, "mimeType": "application/pdf", "buffer": content})

    def closed(self) -> None:
        """A person waits for the picked list to go before the next click: it lies over the items below it."""
        expect(self.page.locator(LEAVING)).to_have_count(0)

    def next(self, button: str = "下一步") -> None:
        self.page.get_by_role("button", name=button, exact=True).click()


def licence_step(form: Form) -> None:
    form.type("原许可证编号", str(FOOD["licence_no"]))
    form.choose("发证部门", str(FOOD["issuer"]))  # its options arrive a moment after the page
    form.date("许可证发证日期", str(FOOD["issued_on"]))
    form.date("有效期截止日期", str(FOOD["expires_on"]))
    form.radio("主体业态", "餐饮服务经营者")
    form.tick("经营项目（可多选）", "热食类食品制售", "自制饮品制售")
    form.radio("网络经营", "未开展")
    form.type("经营场所地址", str(FOOD["premises"]))
    form.next()


def holder_step(form: Form) -> None:
    expect(form.page.locator(".el-step__title.is-process")).to_have_text("经营者信息")
    for label, name in [
        ("经营主体名称", "holder_name"),
        ("统一信用代码", "credit_code"),
        ("法定代表人/负责人", "legal_rep"),
    ]:
        form.type(label, str(FOOD[name]))
    form.region("住所所在地", "内蒙古自治区", "鄂尔多斯市", "鄂托克旗")
    form.type("住所详细地址", "乌兰镇团结路12号")
    form.type("食品安全管理人员姓名", str(FOOD["safety_manager"]))
    form.type("联系人姓名", str(FOOD["contact_name"]))
    form.type("联系人手机号", str(FOOD["contact_phone"]))
    form.next()


def renewal_step(form: Form) -> None:
    expect(form.page.locator(".el-step__title.is-process")).to_have_text("延续申请")
    form.radio("经营条件变化情况", "无变化")
    form.tick("电子证照", "引用电子营业执照", "引用电子食品经营许可证")
    form.choose("取证方式", "快递邮寄")
    form.type("收件人", str(FOOD["recipient"]))
    form.type("收件地址", str(FOOD["recipient_address"]))
    form.type("业务参考号", str(FOOD["reference"]))
    form.type("备注", str(FOOD["remark"]))
    form.upload("申请书（签字盖章扫描件）", "延续申请书.pdf", PDF)
    listed = form.item("申请书（签字盖章扫描件）").locator(".el-upload-list__item")
    expect(listed).to_have_class(re.compile("is-success"))  # once the server has it, a moment later
    expect(listed).to_contain_text("延续申请书.pdf")
    form.page.locator("form:visible .el-checkbox__label").get_by_text(re.compile("^我已阅读并同意")).click()
    form.next("提 交")


def test_a_renewal_is_filed_through_the_widgets_and_found_in_the_paged_table(page: Page, url: str) -> None:
    with httpx.Client(base_url=url) as client:  # another page's worth of rows, filed before ours
        seeded = ElementPortal(client)
        seeded.login()
        for n in range(11):
            seeded.file("subsidy", {**SUBSIDY, "reference": f"SUB-{n:04d}"})
    page.get_by_role("menuitem", name="食品经营许可延续申报").click()
    form = Form(page)
    licence_step(form)
    holder_step(form)
    renewal_step(form)
    dialog = page.get_by_role("dialog", name="提示")
    expect(dialog).to_contain_text("确认提交？")
    dialog.get_by_role("button", name="确 定").click()
    subtitle = page.locator(".el-result__subtitle")
    expect(subtitle).to_contain_text("办件编号：SQ")
    number = re.findall(r"SQ\d{14}", subtitle.inner_text())[0]

    page.get_by_role("button", name="查看我的办件").click()
    expect(page.locator(".el-pagination__total")).to_have_text("共 12 条")
    page.locator(".el-pager li").get_by_text("2", exact=True).click()
    expect(page.locator(".el-table__body-wrapper tr.el-table__row")).to_have_count(2)
    page.get_by_placeholder("请输入许可证号或业务参考号").fill(str(FOOD["reference"]))
    page.get_by_role("button", name="查 询").click()
    expect(page.locator(".el-pagination__total")).to_have_text("共 1 条")
    headers = page.locator(".el-table__header-wrapper th").all_inner_texts()
    cells = page.locator(".el-table__body-wrapper tr.el-table__row").first.locator("td").all_inner_texts()
    row = dict(zip(headers, cells, strict=True))
    assert (row["办件编号"], row["办件状态"], row["办结时间"]) == (number, "待审核", "—")
    [stored] = [a for a in httpx.get(f"{url}/_sandbox/applications").json() if a["application_no"] == number]
    assert stored["data"]["address"] == "内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇团结路12号"
    assert (stored["data"]["online"], stored["data"]["delivery"]) == ("否", "邮寄送达")


def test_a_refused_value_is_said_in_a_message_that_goes_by_itself(page: Page) -> None:
    page.get_by_role("menuitem", name="惠企政策资金拨付申报").click()
    form = Form(page)
    form.next()  # nothing entered: the page itself says what is required
    expect(form.item("申报政策").locator(".el-form-item__error")).to_have_text("请选择申报政策")
    form.choose("申报政策", str(SUBSIDY["policy"]))
    form.type("申请拨付金额（元）", "-5")  # only the server checks amounts
    form.type("业务参考号", str(SUBSIDY["reference"]))
    form.next()
    toast = page.locator(".el-message--error")
    expect(toast).to_have_text("校验未通过：申请拨付金额（元）应为正数，最多两位小数")
    expect(toast).to_have_count(0, timeout=5000)
    expect(page.locator(".el-step__title.is-process")).to_have_text("政策申报")


def test_a_file_that_is_not_a_pdf_is_refused_in_a_message_and_not_listed(page: Page) -> None:
    page.get_by_role("menuitem", name="惠企政策资金拨付申报").click()
    form = Form(page)
    form.choose("申报政策", str(SUBSIDY["policy"]))
    form.type("申请拨付金额（元）", str(SUBSIDY["amount"]))
    form.type("业务参考号", str(SUBSIDY["reference"]))
    form.next()
    label = "申报材料（盖章扫描件）"
    form.upload(label, "拨付申请书.pdf", b"GIF89a, named .pdf")  # the name says PDF, the content does not

    expect(page.locator(".el-message--error")).to_have_text("上传失败：只能上传PDF格式文件")
    expect(form.item(label).locator(".el-upload-list__item")).to_have_count(0)
    form.next("提 交")
    expect(form.item(label).locator(".el-form-item__error")).to_have_text(f"请上传{label}")
