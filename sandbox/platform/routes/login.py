"""Login and logout for the applicant and the approver areas (same controls, different accounts)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sandbox.platform.auth import (
    APPLICANT_AREA,
    APPROVER_AREA,
    Area,
    authenticate,
    close_session,
    had_expired_login,
    login_session,
    new_session,
    open_session,
    set_cookie,
)
from sandbox.platform.builds import PAGE_BUILD
from sandbox.platform.layouts import APPROVER_LOGIN_HEADING
from sandbox.platform.pages import redirect, render, safe_next
from sandbox.platform.state import DbDep, FormDep, PlatformState, StateDep

router = APIRouter()


def login_form(
    area: Area,
    request: Request,
    state: PlatformState,
    csrf_token: str,
    next_path: str,
    alert: str | None,
    username: str,
) -> HTMLResponse:
    heading = state.layout.login_heading if area is APPLICANT_AREA else APPROVER_LOGIN_HEADING
    return render(
        request,
        "login.html.j2",
        heading=heading,
        action=area.login_path,
        next=next_path,
        csrf_token=csrf_token,
        alert=alert,
        username=username,
    )


def show_login(area: Area, request: Request, state: StateDep, db: DbDep, next_path: str | None) -> HTMLResponse:
    """A fresh anonymous session carries the form's CSRF token; an expired login is reported."""
    alert = state.layout.session_expired if had_expired_login(request, db, state) else None
    row = new_session(db, state, None)
    page = login_form(area, request, state, row.csrf_token, safe_next(next_path, area.home), alert, "")
    set_cookie(page, row)
    return page


def do_login(area: Area, request: Request, state: StateDep, db: DbDep, form: FormDep) -> Response:
    anonymous = login_session(request, db, state, form)
    username, next_path = str(form.get("username") or ""), safe_next(str(form.get("next") or ""), area.home)
    user = authenticate(db, area, username, str(form.get("password") or ""))
    if user is None:
        failed = state.layout.login_failed
        return login_form(area, request, state, anonymous.csrf_token, next_path, failed, username)
    response = redirect(next_path)
    open_session(db, state, anonymous, user, response)
    return response


def do_logout(area: Area, request: Request, db: DbDep, form: FormDep) -> Response:
    response = redirect(area.login_path)
    close_session(request, db, form, response)
    return response


@router.get("/login", response_class=HTMLResponse, dependencies=PAGE_BUILD)
def applicant_login_page(request: Request, state: StateDep, db: DbDep, next: str | None = None) -> HTMLResponse:
    return show_login(APPLICANT_AREA, request, state, db, next)


@router.post("/login", dependencies=PAGE_BUILD)
def applicant_login(request: Request, state: StateDep, db: DbDep, form: FormDep) -> Response:
    return do_login(APPLICANT_AREA, request, state, db, form)


@router.post("/logout", dependencies=PAGE_BUILD)
def applicant_logout(request: Request, db: DbDep, form: FormDep) -> Response:
    return do_logout(APPLICANT_AREA, request, db, form)


@router.get("/approver/login", response_class=HTMLResponse)
def approver_login_page(request: Request, state: StateDep, db: DbDep, next: str | None = None) -> HTMLResponse:
    return show_login(APPROVER_AREA, request, state, db, next)


@router.post("/approver/login")
def approver_login(request: Request, state: StateDep, db: DbDep, form: FormDep) -> Response:
    return do_login(APPROVER_AREA, request, state, db, form)


@router.post("/approver/logout")
def approver_logout(request: Request, db: DbDep, form: FormDep) -> Response:
    return do_logout(APPROVER_AREA, request, db, form)
