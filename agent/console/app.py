"""The console's app: its routers, its static files, and what a page answers when no one is signed in (the
sign-in page) or the account may not do what it asked (a 403 page, the try in the audit log)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from agent.console import cases, dashboard, policies, queues, service, signin
from agent.console.web import HERE, Desk, Forbidden, SecurityHeaders, SignInNeeded, page, to
from agent.ops_http import ops_router
from agent.runtime import Runtime
from domain.access.accounts import Rules


def rules_of(rt: Runtime) -> Rules:
    settings = rt.settings.console
    return Rules(
        idle=timedelta(minutes=settings.idle_minutes),
        longest=timedelta(hours=settings.session_hours),
        lockout_failures=settings.lockout_failures,
        lockout=timedelta(minutes=settings.lockout_minutes),
    )


def build_console(rt: Runtime, now: Callable[[], datetime] | None = None) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)  # staff pages only: no API browser
    clock = now or (lambda: datetime.now(UTC))
    app.state.desk = Desk(rt, rules_of(rt), clock)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (signin, dashboard, cases, queues, policies, service):
        app.include_router(module.router)
    app.include_router(ops_router(rt, clock))  # for a monitor: no sign-in, no personal data
    app.add_exception_handler(SignInNeeded, _sign_in_first)
    app.add_exception_handler(Forbidden, _forbidden)
    return app


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    if request.method == "GET":
        return to("/signin")
    return Response("请先登录", status_code=401)


async def _forbidden(request: Request, exc: Exception) -> Response:
    what = exc.what if isinstance(exc, Forbidden) else str(exc)
    response = page(request, "forbidden.html.j2", None, what=what)
    response.status_code = 403
    return response
