"""A gateway per test on its own SQLite file, served in a thread; the real twilio library pointed at it; and a
small webhook receiver (served the same way) that records what the gateway POSTs to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ground.http_serving import serving
from sandbox.sms_gateway.app import create_app
from sandbox.sms_gateway.settings import Faults, GatewaySettings
from sandbox.sms_gateway.state import GatewayState
from tests.conftest import patient

ACCOUNT_SID = "AC" + "1f" * 16
AUTH_TOKEN = "test-auth-token-0123"
SENDER = "+15005550006"  # the account's number
HOLDER = "+8613812345678"  # a licence holder's mobile
OTHER_HOLDER = "+8613987654321"
LANDLINE = "+861012345678"
WAIT_S = patient(10)


def twilio_client(url: str, auth_token: str = AUTH_TOKEN, on_response: Callable[..., Any] | None = None) -> Client:
    """The official library, sending to the gateway instead of api.twilio.com."""
    hooks = {"response": [on_response]} if on_response else None
    client = Client(ACCOUNT_SID, auth_token, http_client=TwilioHttpClient(request_hooks=hooks, timeout=WAIT_S))
    client.api.base_url = url
    return client


@dataclass
class Gateway:
    url: str
    state: GatewayState
    client: Client

    def set_faults(self, **changes: Any) -> None:
        self.state.faults = Faults.model_validate(self.state.faults.model_dump() | changes)

    def send(self, to: str = HOLDER, body: str = "您的食品经营许可证即将到期。", **extra: Any) -> Any:
        return self.client.messages.create(to=to, from_=SENDER, body=body, **extra)


def settings_for(db_path: Path, **overrides: Any) -> GatewaySettings:
    base: dict[str, Any] = {"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "phone_numbers": (SENDER,)}
    return GatewaySettings(db_path=db_path, **(base | overrides))


@pytest.fixture
def start_gateway(tmp_path: Path) -> Iterator[Callable[..., Gateway]]:
    """start_gateway(**settings) -> a running gateway on the test's database; all are stopped after the test."""
    with ExitStack() as stack:

        def start(**overrides: Any) -> Gateway:
            overrides.setdefault("faults", Faults(delivery_step_ms=5))
            app = create_app(settings_for(tmp_path / "gateway.db", **overrides))
            url = stack.enter_context(serving(app, name="sms-gateway", lifespan="on"))
            return Gateway(url, app.state.gateway, twilio_client(url))

        yield start


@pytest.fixture
def gateway(start_gateway: Callable[..., Gateway]) -> Gateway:
    return start_gateway()


@dataclass(frozen=True)
class Posted:
    url: str
    signature: str
    form: dict[str, str]


@dataclass
class Receiver:
    """Records every POST; answers `status` (tests make it fail on purpose)."""

    url: str = ""
    status: int = 200
    posted: list[Posted] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    async def endpoint(self, request: Request) -> Response:
        form = {name: str(value) for name, value in (await request.form()).items()}
        with self.changed:
            self.posted.append(Posted(str(request.url), request.headers.get("X-Twilio-Signature", ""), form))
            self.changed.notify_all()
        return Response("<Response/>", status_code=self.status, media_type="application/xml")

    def wait_for(self, done: Callable[[list[Posted]], bool], timeout: float = WAIT_S) -> list[Posted]:
        with self.changed:
            assert self.changed.wait_for(lambda: done(self.posted), timeout), f"not seen in {timeout}s: {self.posted}"
            return list(self.posted)

    def statuses(self, sid: str) -> list[str]:
        return [p.form["MessageStatus"] for p in self.posted if p.form.get("MessageSid") == sid]

    def wait_for_status(self, sid: str, status: str) -> list[Posted]:
        return self.wait_for(lambda _: status in self.statuses(sid))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/{path:path}", receiver.endpoint, methods=["POST"])])
    with serving(app, name="webhook-receiver") as url:
        receiver.url = url
        yield receiver


def wait_until(condition: Callable[[], bool], timeout: float = WAIT_S) -> None:
    """Poll until the condition holds (for outcomes no webhook reports); fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not true within {timeout}s"
        time.sleep(0.02)


def raw_get(gateway: Gateway, path: str, **params: str) -> requests.Response:
    """A call without the library, to see what it hides (headers, the raw body)."""
    return requests.get(gateway.url + path, params=params, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=WAIT_S)
