"""The Message resource as Twilio writes it (the contract's `api.v2010.account.message`): SIDs, URIs relative to
the API host, RFC 2822 dates in GMT, counts as strings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from sandbox.sms_gateway.db import Message
from sandbox.sms_gateway.errors import delivery_error_message

API_VERSION = "2010-04-01"
ACCOUNT_ROOT = f"/{API_VERSION}/Accounts/{{account_sid}}"


def new_sid(prefix: str = "SM") -> str:
    return prefix + uuid.uuid4().hex


def stored_time(moment: datetime) -> datetime:
    """Naive UTC, as the database keeps it."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def rfc2822(stored: datetime | None) -> str | None:
    # "Thu, 24 Aug 2023 05:01:45 +0000", Twilio's form (not "GMT", not "-0000").
    return None if stored is None else format_datetime(stored.replace(tzinfo=UTC))


def messages_uri(account_sid: str) -> str:
    return ACCOUNT_ROOT.format(account_sid=account_sid) + "/Messages.json"


def message_uri(account_sid: str, sid: str, suffix: str = ".json") -> str:
    return ACCOUNT_ROOT.format(account_sid=account_sid) + f"/Messages/{sid}{suffix}"


def message_json(message: Message) -> dict[str, Any]:
    # A message sent through a Messaging Service has no sender and no segment count until one is picked (Twilio).
    segments = "0" if message.status == "accepted" else str(message.num_segments)
    return {
        "account_sid": message.account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": rfc2822(message.date_created),
        "date_sent": rfc2822(message.date_sent),
        "date_updated": rfc2822(message.date_updated),
        "direction": message.direction,
        "error_code": message.error_code,
        "error_message": delivery_error_message(message.error_code),
        "from": message.sender,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": "0",
        "num_segments": segments,
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": message_uri(message.account_sid, message.sid, "/Media.json")},
        "to": message.to,
        "uri": message_uri(message.account_sid, message.sid),
    }
