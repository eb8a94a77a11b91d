"""Signing in and out. The sign-in form carries a CSRF token of its own (a cookie and the same value in the form),
since there is no session yet to hold one; a refusal never says whether the name or the password was wrong."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from agent.console.web import (
    SESSION_COOKIE,
    SIGNIN_CSRF_COOKIE,
    Staff,
    address,
    checked_form,
    desk,
    page,
    to,
)
from domain.access.accounts import Refused, sign_in, sign_out
from domain.access.audit import record

router = APIRouter()


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request) -> Response:
    return _form(request, "")


def _form(request: Request, error: str, status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(request, "signin.html.j2", None, csrf=token, error=error)
    response.status_code = status_code
    response.set_cookie(
        SIGNIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=desk(request).secure_cookies
    )
    return response


@router.post("/signin")
async def signin(request: Request) -> Response:
    form = await request.form()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    d = desk(request)
    if not secrets.compare_digest(str(form.get("csrf", "")), request.cookies.get(SIGNIN_CSRF_COOKIE, "")):
        with d.rt.engine.begin() as connection:
            why = {"why": "CSRF token missing or wrong"}
            record(connection, d.now(), username or "(none)", "sign-in refused", detail=why, address=address(request))
        return _form(request, "表单已过期，请重新登录。", 403)
    with d.rt.engine.begin() as connection:
        outcome = sign_in(connection, username, password, d.rules, d.now(), address(request))
    if isinstance(outcome, Refused):
        minutes = d.rt.settings.console.lockout_minutes
        message = f"登录失败次数过多，账号已锁定，请{minutes}分钟后再试。" if outcome.locked else "用户名或密码错误。"
        return _form(request, message, 401)
    response = to("/")
    response.set_cookie(
        SESSION_COOKIE, outcome.token, httponly=True, samesite="strict", secure=d.secure_cookies, path="/"
    )
    response.delete_cookie(SIGNIN_CSRF_COOKIE)
    return response


@router.post("/signout")
async def signout(request: Request, session: Staff) -> Response:
    await checked_form(request, session)
    d = desk(request)
    with d.rt.engine.begin() as connection:
        sign_out(connection, session, d.now(), address(request))
    response = to("/signin")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
