"""POSTing to the account's webhooks (status callbacks, inbound SMS) the way Twilio does: form-encoded, signed with
X-Twilio-Signature over the exact URL and the parameters, with the account's auth token.

A webhook that fails (refused, times out, answers 5xx) is tried a few times with a short backoff, then given up and
logged: a broken receiver must never stop the gateway. Logs name the message SID, never a phone number.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)
USER_AGENT = "TwilioProxy/1.1"
BACKOFF_S = 0.2


class WebhookPoster:
    def __init__(self, auth_token: str, timeout_s: float, attempts: int) -> None:
        self.validator = RequestValidator(auth_token)
        self.attempts = attempts
        self.client = httpx.AsyncClient(timeout=timeout_s, headers={"User-Agent": USER_AGENT})

    def signature(self, url: str, params: dict[str, str]) -> str:
        return str(self.validator.compute_signature(url, params))

    async def post(self, url: str, params: dict[str, str], about: str) -> int | None:
        """POST the params signed; the receiver's status code, or None when it could not be reached at all."""
        headers = {"X-Twilio-Signature": self.signature(url, params)}
        status: int | None = None
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(BACKOFF_S * 2 ** (attempt - 1))
            try:
                status = (await self.client.post(url, data=params, headers=headers)).status_code
            except httpx.HTTPError as exc:
                log.warning("webhook for %s failed (attempt %d): %s", about, attempt + 1, type(exc).__name__)
                status = None
                continue
            if status < 500:
                return status
            log.warning("webhook for %s answered %d (attempt %d)", about, status, attempt + 1)
        return status

    async def aclose(self) -> None:
        await self.client.aclose()
