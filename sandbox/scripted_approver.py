"""A STAND-IN for the bureau's approvers, for the demo only: it opens the approver pages of the sandbox platform
in a browser and decides every pending application — most confirmed, a few returned with a reason — the way a
person would click through them. Real approvers do this by hand (see the README)."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import sync_playwright

from ground.browser import CHROMIUM, CHROMIUM_ARGS
from sandbox.platform.layouts import LAYOUTS

RETURN_REASONS = {
    "renewal": ["从业人员健康证明已过期，请补充", "经营场所与登记住所不一致，需核实", "食品安全管理制度未更新"],
    "subsidy": ["上年度研发费用数据需与税务部门核实", "开户银行账户与单位名称不一致，请核实"],
}
SUBSIDY_HEADING = "资金拨付"  # in the approver page's heading of a subsidy disbursement application


@dataclass
class Decisions:
    approved: list[str] = field(default_factory=list)
    returned: dict[str, str] = field(default_factory=dict)


def decide_all(
    base_url: str, username: str, password: str, return_every: int = 8, layout: str = "standard"
) -> Decisions:
    """Confirm or return every application in the approver queue: every `return_every`-th one (the 2nd, …) is
    returned with a reason, the rest confirmed. `layout` is the platform build's (its login page's words)."""
    decisions, words = Decisions(), LAYOUTS[layout]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN")
        page.goto(f"{base_url}/approver/login")
        page.get_by_label(words.username_label, exact=True).fill(username)
        page.get_by_label(words.password_label, exact=True).fill(password)
        page.get_by_role("button", name=words.login_button, exact=True).click()
        while True:
            page.goto(f"{base_url}/approver")
            links = page.locator("table a[href^='/approver/applications/']")
            if links.count() == 0:
                break
            number = links.first.inner_text().strip()
            links.first.click()
            seen = len(decisions.approved) + len(decisions.returned)
            if seen % return_every == 1 % return_every:
                kind = "subsidy" if SUBSIDY_HEADING in page.get_by_role("heading", level=1).inner_text() else "renewal"
                reasons = RETURN_REASONS[kind]
                reason = reasons[len(decisions.returned) % len(reasons)]
                page.get_by_label("退回原因", exact=True).fill(reason)
                page.get_by_role("button", name="退回", exact=True).click()
                decisions.returned[number] = reason
            else:
                page.get_by_role("button", name="确认通过", exact=True).click()
                decisions.approved.append(number)
            page.wait_for_load_state()
        browser.close()
    return decisions
