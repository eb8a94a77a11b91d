"""The Twilio sender on answers the sandbox gateway does not give: a provider that took the request and answered
something unreadable may have created the message, so the send is uncertain and reconciled, never simply repeated."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ground.http_serving import serving
from notifications.senders.base import SendError
from notifications.senders.twilio import TwilioSender
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN


async def garbled(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("<html>upstream says hello</html>", status_code=201)


def test_an_unreadable_answer_to_a_send_is_uncertain_not_a_failure() -> None:
    app = Starlette(routes=[Route("/{path:path}", garbled, methods=["GET", "POST"])])
    with serving(app, lifespan="off") as url:
        sender = TwilioSender(
            SANDBOX_ACCOUNT_SID,
            SANDBOX_AUTH_TOKEN,
            from_number="+15005550006",
            messaging_service_sid=None,
            api_base_url=url,
            status_callback=None,
            timeout=5,
        )
        with pytest.raises(SendError) as raised:
            sender.send("+8613912345678", "【某县政务服务局】测试", 1)
    assert (raised.value.permanent, raised.value.uncertain) == (False, True)
