"""Delivery callbacks out of order and repeated, as a provider under strain sends them: for a seeded sample of the
notices the gateway took, the statuses it already reported are posted again, signed as Twilio signs them, latest
first and each twice. The webhooks must neither move a notice backwards nor act twice."""

from __future__ import annotations

import random

import httpx
from sqlalchemy import Engine, select
from twilio.request_validator import RequestValidator

from benchmarks.chaos_world import SANDBOX_SENDER, Services
from ground.store.tables import notifications
from notifications.notifier import STATUS_PATH
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN

SAMPLE = 8  # notices per replay
OUT_OF_ORDER = ("delivered", "sent", "sending", "queued", "delivered")


def replay(world: Services, engine: Engine, rng: random.Random) -> int:
    """Post the sample's callbacks; how many were posted."""
    with engine.connect() as connection:
        taken = connection.execute(
            select(notifications.c.id, notifications.c.provider_sid, notifications.c.recipient).where(
                notifications.c.provider_sid.is_not(None)
            )
        ).all()
    validator = RequestValidator(SANDBOX_AUTH_TOKEN)
    posted = 0
    for notice_id, sid, recipient in rng.sample(taken, min(SAMPLE, len(taken))):
        url = f"{world.webhooks_url}{STATUS_PATH}?ref={notice_id}"
        for status in OUT_OF_ORDER:
            form = {
                "MessageSid": str(sid),
                "SmsSid": str(sid),
                "AccountSid": SANDBOX_ACCOUNT_SID,
                "From": SANDBOX_SENDER,
                "To": str(recipient),
                "MessageStatus": status,
                "SmsStatus": status,
                "ApiVersion": "2010-04-01",
            }
            headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
            httpx.post(url, data=form, headers=headers, timeout=60).raise_for_status()
            posted += 1
    return posted
