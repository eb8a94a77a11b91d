"""A console over a small county, served on loopback with a clock the tests move: two townships' parked and
assisted cases, and one account of each role (the officer serves 乌兰镇 in the shipped roster)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from agent.console.app import build_console
from agent.runtime import Runtime
from domain.access.accounts import create_account
from domain.access.roles import Role
from ground.browser import CHROMIUM, CHROMIUM_ARGS
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.http_serving import serving
from ground.settings import Settings
from tests.notifications.conftest import NOON, case_maker

PASSWORD = "console-test-password"
ACCOUNTS = {
    "admin": (Role.ADMIN, "管理员甲", None),
    "boss": (Role.SUPERVISOR, "分管领导", None),
    "wanglei": (Role.OFFICER, "王磊", "bb01"),  # 乌兰镇
    "viewer": (Role.READER, "只读用户", None),
}


@dataclass
class Clock:
    at: datetime = NOON

    def __call__(self) -> datetime:
        return self.at

    def advance(self, span: timedelta) -> None:
        self.at += span


@dataclass
class Desk:
    url: str
    store: Engine
    clock: Clock
    cases: dict[str, int] = field(default_factory=dict)


def _county(store: Engine) -> dict[str, int]:
    add = case_maker(store)
    made = {
        "parked_wulan": add("routed", "seamless", township="乌兰镇"),
        "parked_qipanjing": add("routed", "seamless", township="棋盘井镇"),
        "assisted_wulan": add("routed", "assisted", township="乌兰镇"),
        "assisted_qipanjing": add("routed", "assisted", township="棋盘井镇"),
    }
    with store.begin() as connection:
        for name in ("parked_wulan", "parked_qipanjing"):
            reason = "平台拒绝：经营场所字段无法填写"
            move_case(connection, made[name], State.PARKED, reason, "bot:prefill", NOON, parked_reason=reason)
        for username, (role, name, officer) in ACCOUNTS.items():
            create_account(connection, username, name, role, PASSWORD, NOON, officer)
    return made


@pytest.fixture
def desk(sqlite_store: Engine, tmp_path: Path) -> Iterator[Desk]:
    cases = _county(sqlite_store)
    settings = Settings(
        database_url=sqlite_store.url.render_as_string(hide_password=False),
        var_dir=tmp_path,
        model={"dir": tmp_path / "no-models"},
        console={"lockout_failures": 3, "stand_ins": True},
    )
    clock = Clock()
    with serving(build_console(Runtime(settings), now=clock), lifespan="off") as url:
        yield Desk(url, sqlite_store, clock, cases)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium-headless-shell is not installed (make install)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def signed_in(browser: Browser, desk: Desk, username: str) -> Page:
    page = browser.new_context(base_url=desk.url, locale="zh-CN").new_page()
    page.goto("/signin")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{desk.url}/")
    return page
