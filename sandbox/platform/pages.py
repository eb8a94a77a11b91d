"""Rendering pages, and the errors that become pages (login required, forbidden, not found)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.platform.layouts import NOT_FOUND_MESSAGE
from sandbox.platform.state import PlatformState, get_state

JSON_PREFIXES = ("/api/", "/_sandbox/", "/healthz")


class LoginRequired(Exception):
    """No live session for this area: go to its login page, then come back to `next_path`."""

    def __init__(self, login_path: str, next_path: str) -> None:
        super().__init__(next_path)
        self.login_path, self.next_path = login_path, next_path


class PageError(Exception):
    """An error page with a status code and a message shown in an alert."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = get_state(request)
    context = {"layout": state.layout, **context}
    return state.templates.TemplateResponse(request, template, context, status_code=status)


def error_page(state: PlatformState, request: Request, status: int, message: str) -> HTMLResponse:
    context = {"layout": state.layout, "message": message, "status": status}
    return state.templates.TemplateResponse(request, "error.html.j2", context, status_code=status)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(candidate: str | None, default: str) -> str:
    """Only a local path may be a redirect target."""
    ok = candidate and candidate.startswith("/") and not candidate.startswith("//") and "\\" not in candidate
    return candidate if ok and candidate else default


def install_error_pages(app: FastAPI) -> None:
    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return redirect(f"{exc.login_path}?next={quote(exc.next_path, safe='/')}")

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return error_page(get_state(request), request, exc.status, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(JSON_PREFIXES):
            return await http_exception_handler(request, exc)
        message = NOT_FOUND_MESSAGE if exc.status_code == 404 else "请求无法处理"
        return error_page(get_state(request), request, exc.status_code, message)

    async def bad_path(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.url.path.startswith(JSON_PREFIXES):
            return await request_validation_exception_handler(request, exc)
        return error_page(get_state(request), request, 404, NOT_FOUND_MESSAGE)  # e.g. /drafts/abc/steps/1

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(RequestValidationError, bad_path)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(PageError, page_error)
