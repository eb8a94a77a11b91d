"""Fault injection on the API (never /healthz or /_sandbox/): added latency, and a seeded share of calls answered
429 (code 20429, with Retry-After) or 500/503, the way a busy Twilio answers.

Plain ASGI rather than FastAPI's middleware decorator: it adds nothing measurable to a call, and the throughput of
the send path is benchmarked through here. Two numbers are drawn for every API call whatever the settings, so a
seed gives the same sequence of faults however they are set.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.sms_gateway.errors import API_PREFIX, TwilioError, twilio_error
from sandbox.sms_gateway.state import GatewayState


def drawn_error(state: GatewayState) -> TwilioError | None:
    faults = state.current_faults()
    roll, which = state.rng.random(), state.rng.random()
    if roll < faults.rate_limit_share:
        return twilio_error(20429, headers={"Retry-After": str(faults.retry_after_s)})
    if roll < faults.rate_limit_share + faults.server_error_share:
        return twilio_error(20500 if which < 0.5 else 20503)
    return None


async def discard(_message: Message) -> None:
    """A `send` that drops the real answer (the call was handled; the caller only hears the injected error)."""


class FaultInjection:
    def __init__(self, app: ASGIApp, state: GatewayState) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        faults = self.state.current_faults()
        if faults.slow_ms:
            await asyncio.sleep(faults.slow_ms / 1000)
        error = drawn_error(self.state)
        if error is None:
            await self.app(scope, receive, send)
            return
        if error.status >= 500 and faults.error_phase == "after":
            await self.app(scope, receive, discard)
        await error.response()(scope, receive, send)
