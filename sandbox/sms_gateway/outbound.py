"""A create-message request checked the way Twilio checks it, in Twilio's order, and the message it makes.

Missing To → 21604, neither From nor MessagingServiceSid → 21603, no Body → 21602; a To that is not a valid
number → 21211 and not a mobile → 21614; a From that is not the account's → 21606; a malformed MessagingServiceSid
→ 21701; a body over 1600 characters → 21617; a recipient who opted out → 21610.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from datetime import datetime

from sandbox.sms_gateway.addresses import checked_recipient, checked_sender
from sandbox.sms_gateway.db import Message
from sandbox.sms_gateway.errors import twilio_error
from sandbox.sms_gateway.resource import new_sid, stored_time
from sandbox.sms_gateway.segments import MAX_BODY_CHARS, count_segments
from sandbox.sms_gateway.settings import MESSAGING_SERVICE_SID, Faults, GatewaySettings

SERVICE_SID = re.compile(MESSAGING_SERVICE_SID)


def required(form: Mapping[str, str], name: str, code: int) -> str:
    value = form.get(name, "")
    if not value:
        raise twilio_error(code)
    return value


def origin(form: Mapping[str, str], settings: GatewaySettings) -> tuple[str | None, str | None]:
    """(From, MessagingServiceSid): a From wins when both are given, as on Twilio."""
    if form.get("From"):
        return checked_sender(form["From"], settings.phone_numbers), None
    service = required(form, "MessagingServiceSid", 21603)
    if not SERVICE_SID.match(service):
        raise twilio_error(21701, sid=service)
    return None, service


def outbound_message(
    form: Mapping[str, str],
    account_sid: str,
    settings: GatewaySettings,
    faults: Faults,
    opted_out: Container[str],
    now: datetime,
) -> Message:
    """The new message, not yet stored; raises TwilioError for a request Twilio would refuse."""
    to_given = required(form, "To", 21604)
    if not (form.get("From") or form.get("MessagingServiceSid")):
        raise twilio_error(21603)
    body = required(form, "Body", 21602)
    to = checked_recipient(to_given, faults)
    sender, service = origin(form, settings)
    if len(body) > MAX_BODY_CHARS:
        raise twilio_error(21617)
    if to in faults.unsubscribed_numbers or to in opted_out:
        raise twilio_error(21610)
    created = stored_time(now)
    return Message(
        sid=new_sid(),
        account_sid=account_sid,
        direction="outbound-api",
        sender=sender,
        to=to,
        body=body,
        status="accepted" if service else "queued",
        num_segments=count_segments(body),
        messaging_service_sid=service,
        status_callback=form.get("StatusCallback") or None,
        date_created=created,
        date_updated=created,
    )
