"""Twilio's error answers: the codes the gateway uses, their HTTP status and message, and the JSON body Twilio sends
(`{"code", "message", "more_info", "status"}`), which the twilio library turns into TwilioRestException."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

API_PREFIX = "/2010-04-01/"
MORE_INFO = "https://www.twilio.com/docs/errors/{code}"

# code -> (HTTP status, message as Twilio words it; {placeholders} filled per error)
CATALOGUE: dict[int, tuple[int, str]] = {
    20001: (400, "Invalid parameter {name}: {value!r}"),
    20003: (401, "Authenticate"),
    20004: (405, "Method not allowed"),
    20009: (409, "Cannot delete message because it is still in progress"),
    20404: (404, "The requested resource {path} was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "An internal server error has occurred"),
    20503: (503, "Service Unavailable"),
    21211: (400, "The 'To' number {number} is not a valid phone number."),
    21602: (400, "Message body is required."),
    21603: (400, "A 'From' phone number is required."),
    21604: (400, "A 'To' phone number is required."),
    21606: (400, "The 'From' phone number {number} is not a valid, SMS-capable inbound phone number for your account."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number {number} is not a valid mobile number"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit."),
    21701: (400, "The Messaging Service Sid {sid} is invalid."),
}

# Delivery failures reported on the message (error_code / error_message), not as HTTP errors.
DELIVERY_ERRORS: dict[int, str] = {
    30001: "Queue overflow",
    30003: "Unreachable destination handset",
    30004: "Message blocked",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30008: "Unknown error",
}


class TwilioError(Exception):
    """An API call refused the way Twilio refuses it; raise `twilio_error(code, ...)` rather than building one."""

    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": MORE_INFO.format(code=self.code),
            "status": self.status,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def twilio_error(code: int, headers: dict[str, str] | None = None, **details: Any) -> TwilioError:
    status, template = CATALOGUE[code]
    return TwilioError(status, code, template.format(**details), headers)


def delivery_error_message(code: int | None) -> str | None:
    return None if code is None else DELIVERY_ERRORS.get(code, "Unknown error")


def install_error_handlers(app: FastAPI) -> None:
    """Every error of the API, ours or the framework's (unknown path, wrong method), answers in Twilio's form."""

    async def on_twilio_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TwilioError)
        return exc.response()

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if not request.url.path.startswith(API_PREFIX):
            return await http_exception_handler(request, exc)
        if exc.status_code == 404:
            return twilio_error(20404, path=request.url.path).response()
        if exc.status_code == 405:
            return twilio_error(20004, headers=dict(exc.headers or {})).response()
        return await http_exception_handler(request, exc)

    app.add_exception_handler(TwilioError, on_twilio_error)
    app.add_exception_handler(HTTPException, on_http_error)
