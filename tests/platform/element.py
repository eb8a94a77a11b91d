"""The Element build seen by a script, as its pages' own scripts call it: login, each step as JSON, submission."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

from sandbox.platform.fields import Value
from sandbox.platform.layouts import ELEMENT
from sandbox.platform.routes.element import APPLY_CODES
from tests.platform.conftest import FILE_FIELDS, PDF

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class ElementPortal:
    """One browser's worth of calls: a cookie jar and the session's CSRF token (sent in `X-CSRF-Token`)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client, self.token = client, ""

    def login(self, username: str = "agent", password: str = "agent-pass") -> dict[str, Any]:
        self.token = CSRF.findall(self.client.get("/uc/login").text)[0]
        answer = self.post("/uc/api/login", {"username": username, "password": password})
        if answer["code"] == 200:
            self.token = CSRF.findall(self.client.get(answer["data"]["redirect"]).text)[0]
        return answer

    def post(self, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        response = self.client.post(url, json=dict(body), headers={"X-CSRF-Token": self.token})
        answer: dict[str, Any] = response.json()
        return answer

    def step(
        self, matter: str, number: int, values: Mapping[str, Value], draft_id: int | None = None
    ) -> dict[str, Any]:
        fields = ELEMENT.matters[matter].steps[number - 1].fields
        form = {name: values[name] for name in fields if name in values}
        for name in FILE_FIELDS & set(form):  # sent on its own first, as el-upload does; the step names it by id
            form[name] = self.upload(str(form[name]), PDF)["data"]["fileId"]
        return self.post(f"/web/api/apply/{APPLY_CODES[matter]}/steps/{number}", {"draftId": draft_id, "form": form})

    def fill(self, matter: str, values: Mapping[str, Value]) -> int:
        """Post every step; the draft's id."""
        draft_id: int | None = None
        for number in range(1, len(ELEMENT.matters[matter].steps) + 1):
            answer = self.step(matter, number, values, draft_id)
            assert answer["code"] == 200, answer["msg"]
            draft_id = int(answer["data"]["draftId"])
        assert draft_id is not None
        return draft_id

    def upload(self, name: str, content: bytes) -> dict[str, Any]:
        files = {"file": (name, content, "application/pdf")}
        answer: dict[str, Any] = self.client.post(
            "/web/api/file/upload", files=files, headers={"X-CSRF-Token": self.token}
        ).json()
        return answer

    def submit(self, matter: str, draft_id: int) -> dict[str, Any]:
        return self.post(f"/web/api/apply/{APPLY_CODES[matter]}/submit", {"draftId": draft_id})

    def file(self, matter: str, values: Mapping[str, Value]) -> str:
        """Fill and submit; the application number."""
        answer = self.submit(matter, self.fill(matter, values))
        assert answer["code"] == 200, answer["msg"]
        return str(answer["data"]["applicationNo"])

    def page_of(self, keyword: str = "", page: int = 1) -> dict[str, Any]:
        params: dict[str, str | int] = {"keyword": keyword, "pageNum": page, "pageSize": 10}
        answer: dict[str, Any] = self.client.get("/web/api/affairs", params=params).json()
        return answer
