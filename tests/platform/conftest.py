"""A platform per test on its own SQLite file, a fixed clock, and a client that logs in and fills wizards."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, sync_playwright

from ground.browser import CHROMIUM, CHROMIUM_ARGS
from sandbox.platform.app import create_app
from sandbox.platform.checks import credit_check_char
from sandbox.platform.fields import MATTERS, Kind, Value
from sandbox.platform.layouts import LAYOUTS
from sandbox.platform.settings import PlatformSettings

NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ALERT = re.compile(r'role="alert">(.*?)</(?:div|span)>', re.S)
NUMBER = re.compile(r"SQ\d{14}")


# The matters' attachments: a value of one of these fields is a file name, posted with this content.
FILE_FIELDS = {field.name for matter in MATTERS.values() for field in matter.fields if field.kind is Kind.FILE}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def valid_credit_code(first17: str = "91150624MA0N12345") -> str:
    return first17 + credit_check_char(first17)


FOOD: dict[str, Value] = {
    "reference": "CASE-0001",
    "holder_name": "鄂托克旗草原饭店",
    "credit_code": valid_credit_code(),
    "legal_rep": "张建国",
    "address": "内蒙古鄂尔多斯市鄂托克旗乌兰镇团结路12号",
    "contact_name": "张建国",
    "contact_phone": "13812345678",
    "licence_no": "JY11506240012345",
    "issuer": "鄂托克旗市场监督管理局",
    "issued_on": "2021-12-20",
    "expires_on": "2026-12-19",
    "premises": "鄂托克旗乌兰镇团结路12号一层",
    "business_form": "餐饮服务经营者",
    "business_items": ["热食类食品制售", "自制饮品制售"],
    "online": "否",
    "warehouse_address": "",
    "conditions_changed": "否",
    "safety_manager": "李敏",
    "cite_business_licence": True,
    "cite_food_licence": True,
    "delivery": "邮寄送达",
    "recipient": "张建国",
    "recipient_address": "鄂托克旗乌兰镇团结路12号",
    "remark": "系统预填，经营条件未变化，请审核。",
    "promise": True,
    "application_form": "延续申请书.pdf",
}

SUBSIDY: dict[str, Value] = {
    "reference": "SUB-0001",
    "company_name": "鄂托克旗蒙鑫科技有限公司",
    "credit_code": valid_credit_code("91150624MA0P54321"),
    "policy": "高新技术企业认定奖励",
    "amount": "200000.00",
    "bank": "中国工商银行鄂托克旗支行",
    "account": "0605123456789012345",
    "contact_name": "王芳",
    "contact_phone": "13987654321",
    "promise": True,
    "application_form": "拨付申请书.pdf",
}


class Clock:
    """The platform's clock, moved by the test."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def alerts(page: str) -> list[str]:
    """The text of every role=alert element, tags removed."""
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", a)).split()) for a in ALERT.findall(page)]


def form_fields(values: Mapping[str, Value]) -> dict[str, Any]:
    """Values as a browser posts them: a ticked checkbox sends "on", an unticked one nothing (a file goes apart)."""
    posted: dict[str, Any] = {}
    for name, value in values.items():
        if name in FILE_FIELDS:
            continue
        if value is True:
            posted[name] = "on"
        elif value is not False:
            posted[name] = value
    return posted


class Portal:
    """One browser's worth of requests against the platform: a cookie jar and the session's CSRF token."""

    def __init__(self, client: TestClient, layout: str = "standard") -> None:
        self.client, self.layout, self.token = client, LAYOUTS[layout], ""

    def login(self, username: str = "agent", password: str = "agent-pass", area: str = "") -> httpx.Response:
        page = self.client.get(f"{area}/login")
        posted = {"username": username, "password": password, "csrf_token": CSRF.findall(page.text)[0]}
        response: httpx.Response = self.client.post(f"{area}/login", data=posted, follow_redirects=False)
        if response.status_code == 303:
            home = self.client.get(response.headers["location"])
            self.token = CSRF.findall(home.text)[0]
        return response

    def get(self, url: str) -> httpx.Response:
        response: httpx.Response = self.client.get(url, follow_redirects=False)
        return response

    def post(self, url: str, values: Mapping[str, Value], **extra: str) -> httpx.Response:
        data = form_fields(values) | {"csrf_token": self.token} | extra
        files = {name: (str(values[name]), PDF, "application/pdf") for name in FILE_FIELDS & set(values)}
        response: httpx.Response = self.client.post(url, data=data, files=files or None, follow_redirects=False)
        return response

    def step_values(self, matter: str, number: int, values: Mapping[str, Value]) -> dict[str, Value]:
        return {name: values[name] for name in self.layout.matters[matter].steps[number - 1].fields if name in values}

    def start(self, matter: str, values: Mapping[str, Value]) -> httpx.Response:
        return self.post(f"/applications/new/{matter}", self.step_values(matter, 1, values))

    def fill(self, matter: str, values: Mapping[str, Value]) -> str:
        """Post every step but the confirmation; returns the confirmation step's URL."""
        response = self.start(matter, values)
        steps = self.layout.matters[matter].steps
        for number in range(2, len(steps)):
            assert response.status_code == 303, alerts(response.text)
            response = self.post(response.headers["location"], self.step_values(matter, number, values))
        assert response.status_code == 303, alerts(response.text)
        return str(response.headers["location"])

    def submit(self, matter: str, values: Mapping[str, Value]) -> str:
        """Fill and confirm; returns the application number."""
        response = self.post(self.fill(matter, values), {}, action="submit")
        assert response.status_code == 303, alerts(response.text)
        return str(NUMBER.findall(response.headers["location"])[0])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, clock: Clock) -> PlatformSettings:
    return PlatformSettings(db_path=tmp_path / "platform.db", admin=True, clock=clock)


@pytest.fixture
def app(settings: PlatformSettings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def portal(client: TestClient) -> Portal:
    portal = Portal(client)
    portal.login()
    return portal


@pytest.fixture
def approver(app: FastAPI) -> Iterator[Portal]:
    """A second browser on the same instance, logged in as the approver."""
    with TestClient(app) as other:
        portal = Portal(other)
        portal.login("approver", "approver-pass", area="/approver")
        yield portal


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium (its headless shell), for the tests that click through the pages."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium-headless-shell is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
