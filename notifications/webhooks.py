"""The service's webhooks for the SMS provider: delivery statuses and inbound replies.

Every request must carry a valid `X-Twilio-Signature` for the URL Twilio was given (our public URL, not whatever
host a proxy shows us); anything unsigned or wrongly signed is refused with 403 and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from twilio.request_validator import RequestValidator

from notifications.body_limit import BodyLimit
from notifications.callbacks import apply_reply, apply_status
from notifications.masking import masked_logger
from notifications.notifier import INBOUND_PATH, STATUS_PATH, Notifier

log = masked_logger(__name__)
# Far above any callback Twilio sends (an inbound SMS is at most 1,600 characters, ~15 kB form-encoded).
MAX_BODY_BYTES = 64 * 1024
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def create_webhooks(engine: Engine, notifier: Notifier, now: Callable[[], datetime]) -> FastAPI:
    sms = notifier.settings.sms
    if sms.auth_token is None or sms.public_url is None:
        raise ValueError("webhooks need notify.sms.auth_token and notify.sms.public_url")
    validator = RequestValidator(sms.auth_token.get_secret_value())
    public_url = sms.public_url.rstrip("/")
    app = FastAPI(title="proactive-agent webhooks", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    async def signed_form(request: Request) -> dict[str, str]:
        form = {key: str(value) for key, value in (await request.form()).items()}
        query = f"?{request.url.query}" if request.url.query else ""
        url = f"{public_url}{request.url.path}{query}"
        if not validator.validate(url, form, request.headers.get("X-Twilio-Signature", "")):
            log.warning("refused an unsigned or wrongly signed request to %s", request.url.path)
            raise HTTPException(status_code=403, detail="invalid signature")
        return form

    @app.post(STATUS_PATH)
    async def status(request: Request) -> PlainTextResponse:
        form = await signed_form(request)
        reference = request.query_params.get("ref")
        outcome = await run_in_threadpool(  # the store is synchronous: keep it off the event loop
            apply_status,
            engine,
            notifier,
            form.get("MessageSid", ""),
            int(reference) if reference and reference.isdigit() else None,
            form.get("MessageStatus", ""),
            form.get("ErrorCode") or None,
            now(),
        )
        log.info("status callback %s %s: %s", form.get("MessageSid"), form.get("MessageStatus"), outcome)
        return PlainTextResponse(outcome)

    @app.post(INBOUND_PATH)
    async def inbound(request: Request) -> Response:
        form = await signed_form(request)
        outcome = await run_in_threadpool(
            apply_reply, engine, notifier, form.get("MessageSid", ""), form.get("From", ""), form.get("Body", ""), now()
        )
        log.info("reply from %s: %s", form.get("From"), outcome)
        return Response(EMPTY_TWIML, media_type="application/xml")

    @app.get("/healthz")
    async def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app
