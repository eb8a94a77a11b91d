"""Fault injection: added latency and "系统繁忙" errors on a seeded share of requests (never /healthz)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response

from sandbox.platform.layouts import BUSY_MESSAGE
from sandbox.platform.pages import error_answer
from sandbox.platform.state import get_state

# Static files are exempt: platforms serve them from a CDN or nginx cache, and a page without its script is a
# broken page, not a busy platform.
EXEMPT_PREFIXES = ("/healthz", "/_sandbox/", "/static/")

Handler = Callable[[Request], Awaitable[Response]]


def install_faults(app: FastAPI) -> None:
    @app.middleware("http")
    async def inject_faults(request: Request, call_next: Handler) -> Response:
        if request.url.path.startswith(EXEMPT_PREFIXES):
            return await call_next(request)
        state = get_state(request)
        faults = state.faults
        # Draw both numbers on every request, so a seed gives the same sequence whatever the settings.
        delay, roll = state.rng.random() * faults.slow_ms / 1000, state.rng.random()
        if delay:
            await asyncio.sleep(delay)
        targeted = not faults.error_paths or request.url.path.startswith(tuple(faults.error_paths))
        if roll >= faults.error_rate or not targeted:
            return await call_next(request)
        if faults.error_phase == "after":  # handled for real; only the answer is lost
            await call_next(request)
        return error_answer(request, 500, BUSY_MESSAGE)
