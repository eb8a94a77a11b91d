"""Rendering pages, and the errors that become pages (login required, forbidden, not found)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.platform.layouts import NOT_FOUND_MESSAGE
from sandbox.platform.state import PlatformState, get_state

JSON_PREFIXES = ("/api/", "/_sandbox/", "/healthz")
SCRIPT_API_PREFIXES = ("/web/api/", "/uc/api/")  # the Element build's pages call these; they answer JSON
UNPROCESSABLE = "请求无法处理"


class LoginRequired(Exception):
    """No live session for this area: go to its login page (`login_url` says where to come back to)."""

    def __init__(self, login_url: str) -> None:
        super().__init__(login_url)
        self.login_url = login_url


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


def api_answer(data: Any = None, code: int = 200, msg: str = "操作成功", status: int = 200) -> JSONResponse:
    """The Element build's JSON envelope. A refusal of the data is HTTP 200 with `code` 400 and the reasons in `msg`,
    as such back ends answer; only a request it cannot take (400, 401, 403, 404) or a failure (500) changes the HTTP
    status, and `code` is then the same."""
    return JSONResponse({"code": code, "msg": msg, "data": data}, status_code=status)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(candidate: str | None, default: str) -> str:
    """Only a local path may be a redirect target."""
    ok = candidate and candidate.startswith("/") and not candidate.startswith("//") and "\\" not in candidate
    return candidate if ok and candidate else default


def error_answer(request: Request, status: int, message: str) -> Response:
    """An error page, or for a script's request the JSON envelope with the same status and message."""
    if request.url.path.startswith(SCRIPT_API_PREFIXES):
        return api_answer(code=status, msg=message, status=status)
    return error_page(get_state(request), request, status, message)


def install_error_pages(app: FastAPI) -> None:
    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        if request.url.path.startswith(SCRIPT_API_PREFIXES):
            return error_answer(request, 401, get_state(request).layout.session_expired)
        return redirect(exc.login_url)

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return error_answer(request, exc.status, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(JSON_PREFIXES):
            return await http_exception_handler(request, exc)
        return error_answer(request, exc.status_code, NOT_FOUND_MESSAGE if exc.status_code == 404 else UNPROCESSABLE)

    async def bad_path(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.url.path.startswith(JSON_PREFIXES):
            return await request_validation_exception_handler(request, exc)
        if request.url.path.startswith(SCRIPT_API_PREFIXES):  # a body that is not what the page's script sends
            return error_answer(request, 400, UNPROCESSABLE)
        return error_page(get_state(request), request, 404, NOT_FOUND_MESSAGE)  # e.g. /drafts/abc/steps/1

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(RequestValidationError, bad_path)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(PageError, page_error)
