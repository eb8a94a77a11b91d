"""The console's frame: who is signed in (a session cookie checked against the store), CSRF on every form,
security headers on every answer, the templates, and the one way a page is rendered."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.datastructures import FormData
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from agent.runtime import Runtime
from domain.access.accounts import Rules, Session, session_of
from domain.access.audit import record
from domain.access.roles import Permission, may

HERE = Path(__file__).parent
SESSION_COOKIE = "console_session"
SIGNIN_CSRF_COOKIE = "console_signin_csrf"
STAND_IN = "演示环境：审批平台与短信网关为本地模拟"
HEADERS = {
    # Everything is served from here: no inline script, no outside origin, no framing.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass
class Desk:
    """What every page is served from: the runtime, the session rules and the clock."""

    rt: Runtime
    rules: Rules
    now: Callable[[], datetime]

    @property
    def secure_cookies(self) -> bool:
        return self.rt.settings.console.secure_cookies


class SignInNeeded(Exception):
    """No live session: the page answers with the sign-in page."""


class Forbidden(Exception):
    """Signed in, but not allowed this: the page says so, and the audit log keeps the try."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


# Every value escaped, whatever the file's suffix (.j2 is not one Jinja2 guesses from).
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True))
# A policy trace printed as JSON keeps its Chinese readable (no \uXXXX escapes); `tojson` still escapes < > & '.
templates.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def desk(request: Request) -> Desk:
    found: Desk = request.app.state.desk
    return found


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def staff(request: Request) -> Session:
    """The signed-in account of this request (a FastAPI dependency); SignInNeeded otherwise."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInNeeded
    d = desk(request)
    with d.rt.engine.begin() as connection:
        session = session_of(connection, token, d.rules, d.now())
    if session is None:
        raise SignInNeeded
    return session


Staff = Annotated[Session, Depends(staff)]  # a page's signed-in account


def require(request: Request, session: Session, permission: Permission, target: str | None = None) -> None:
    if not may(session.account.role, permission):
        refuse(request, session, f"not allowed: {permission.value}", target)


def refuse(request: Request, session: Session, why: str, target: str | None = None) -> NoReturn:
    """Record the refused try and answer 403."""
    d = desk(request)
    with d.rt.engine.begin() as connection:
        record(connection, d.now(), session.account.username, "refused", target, {"why": why}, address(request))
    raise Forbidden(why)


async def checked_form(request: Request, session: Session) -> dict[str, str]:
    """The posted form's fields, once its CSRF token is the session's own; a missing or wrong one is refused and
    audited."""
    form = await checked_upload(request, session)
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def checked_upload(request: Request, session: Session) -> FormData:
    """The posted form, files included, once its CSRF token is the session's own."""
    form = await request.form()
    token = form.get("csrf")
    if not isinstance(token, str) or not secrets.compare_digest(token, session.csrf_token):
        refuse(request, session, "CSRF token missing or wrong", request.url.path)
    return form


def page(request: Request, template: str, session: Session | None, **context: Any) -> HTMLResponse:
    d = desk(request)
    response: HTMLResponse = templates.TemplateResponse(
        request,
        template,
        {
            "session": session,
            "may": (lambda permission: session is not None and may(session.account.role, Permission(permission))),
            "bureau": d.rt.settings.notify.bureau.name,
            "stand_in": STAND_IN if d.rt.settings.console.stand_ins else None,
            "zone": d.rt.settings.zone,
            **context,
        },
    )
    return response


def to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
