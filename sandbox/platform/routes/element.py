"""The Element build's pages: login, 办件查询 (the list, filled by its script), an application's details, and the
single-page wizard of each matter. The pages are shells; their scripts (static/element/) do the rest through
routes/element_api.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from sandbox.platform import applications
from sandbox.platform.auth import ELEMENT_AREA, ElementVisitDep, Visit, had_expired_login, new_session, set_cookie
from sandbox.platform.builds import ElementDep, element_build
from sandbox.platform.element_views import facts, list_config, wizard_config
from sandbox.platform.fields import MATTERS
from sandbox.platform.layouts import NOT_FOUND_MESSAGE, MatterPages
from sandbox.platform.pages import PageError, render, safe_next
from sandbox.platform.state import DbDep, PlatformState, StateDep
from sandbox.platform.views import summary

router = APIRouter(dependencies=[Depends(element_build)])


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    active: bool


# Each matter's 事项编码, which names it in the wizard's URL (as such platforms do, instead of our matter keys).
APPLY_CODES = {"food_renewal": "spjyxkyx", "subsidy": "hqzczjbf"}


def apply_url(matter: str) -> str:
    return f"/web/apply/{APPLY_CODES[matter]}"


def pages_by_code(state: PlatformState, code: str) -> MatterPages:
    matter = next((key for key, known in APPLY_CODES.items() if known == code), None)
    if matter is None:
        raise PageError(404, NOT_FOUND_MESSAGE)
    return state.layout.matters[matter]


def app_page(request: Request, visit: Visit, state: PlatformState, template: str, **context: Any) -> HTMLResponse:
    """A page inside the logged-in frame: the header with the account, the side menu, the CSRF token."""
    links = [(state.layout.applicant_heading, ELEMENT_AREA.home)]
    links += [(pages.new_link, apply_url(pages.matter)) for pages in state.layout.matters.values()]
    menu = [MenuEntry(label, url, request.url.path == url) for label, url in links]
    return render(request, template, username=visit.user.username, csrf_token=visit.csrf_token, menu=menu, **context)


@router.get("/uc/login", response_class=HTMLResponse)
def login_page(request: Request, state: StateDep, db: DbDep, redirect: str | None = None) -> HTMLResponse:
    """A fresh anonymous session carries the form's CSRF token; an expired login is said in a toast."""
    expired = state.layout.session_expired if had_expired_login(request, db, state) else ""
    row = new_session(db, state, None)
    target = safe_next(redirect, ELEMENT_AREA.home)
    page = render(request, "element/login.html.j2", csrf_token=row.csrf_token, redirect=target, expired=expired)
    set_cookie(page, row)
    return page


@router.get("/web/affairs", response_class=HTMLResponse)
def affairs(request: Request, visit: ElementVisitDep, state: StateDep, words: ElementDep) -> HTMLResponse:
    config = json.dumps(list_config(state.layout), ensure_ascii=False)
    return app_page(request, visit, state, "element/affairs.html.j2", words=words, config=config)


@router.get("/web/affairs/{application_no}", response_class=HTMLResponse)
def affair(
    application_no: str, request: Request, visit: ElementVisitDep, state: StateDep, db: DbDep, words: ElementDep
) -> HTMLResponse:
    application = applications.own_application(db, visit.user, application_no)
    pages = state.layout.matters[application.matter]
    sections = summary(MATTERS[application.matter], pages, application.data)
    rows = facts(state.layout, words, application)
    return app_page(request, visit, state, "element/affair.html.j2", pages=pages, facts=rows, sections=sections)


@router.get("/web/apply/{code}", response_class=HTMLResponse)
def apply(code: str, request: Request, visit: ElementVisitDep, state: StateDep, words: ElementDep) -> HTMLResponse:
    pages = pages_by_code(state, code)
    config = json.dumps(wizard_config(state.layout, words, pages, code), ensure_ascii=False)
    return app_page(request, visit, state, "element/apply.html.j2", pages=pages, config=config)
