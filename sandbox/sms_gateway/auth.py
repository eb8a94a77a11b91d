"""HTTP basic auth with the account SID and auth token, as Twilio's API takes it; anything else is 401, code 20003."""

from __future__ import annotations

import base64
import binascii
import hmac

from fastapi import Request

from sandbox.sms_gateway.errors import twilio_error
from sandbox.sms_gateway.state import get_state

CHALLENGE = {"WWW-Authenticate": 'Basic realm="Twilio API"'}


def credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return username, password


async def authenticate(request: Request, AccountSid: str) -> str:  # noqa: N803 (Twilio's path parameter name)
    """The account of the URL, once the caller proved it owns it."""
    settings = get_state(request).settings
    given = credentials(request.headers.get("Authorization", ""))
    expected = (settings.account_sid, settings.auth_token)
    if given is None or not all(
        hmac.compare_digest(a.encode(), b.encode()) for a, b in zip(given, expected, strict=True)
    ):
        raise twilio_error(20003, headers=CHALLENGE)
    if AccountSid != settings.account_sid:
        raise twilio_error(20003, headers=CHALLENGE)
    return AccountSid
