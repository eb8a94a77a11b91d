"""An SMS a holder sends to the account's number: stored as an inbound message, opt-out keywords honoured as Twilio
honours them (the sender is unsubscribed: sending to them answers 21610 until they text START), and POSTed, signed,
to the inbound webhook with Twilio's inbound parameters."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.sms_gateway.addresses import country_of, e164, parse_e164
from sandbox.sms_gateway.db import Message
from sandbox.sms_gateway.errors import twilio_error
from sandbox.sms_gateway.resource import API_VERSION, new_sid, stored_time
from sandbox.sms_gateway.segments import count_segments
from sandbox.sms_gateway.settings import OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS
from sandbox.sms_gateway.state import GatewayState

HOME_REGION = "CN"  # a sender typed without +86 is read as a Chinese number


@dataclass(frozen=True)
class Received:
    sid: str
    opt_out_type: str | None
    webhook_status: int | None  # what the webhook answered; None when there is none or it could not be reached


def opt_out_type(body: str) -> str | None:
    """ "STOP" or "START" when the whole body is one of the keywords (any case, spaces around), as Twilio matches."""
    word = body.strip().upper()
    if word in OPT_OUT_KEYWORDS:
        return "STOP"
    return "START" if word in OPT_IN_KEYWORDS else None


def inbound_params(message: Message, keyword: str | None) -> dict[str, str]:
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "SmsMessageSid": message.sid,
        "AccountSid": message.account_sid,
        "From": message.sender or "",
        "To": message.to,
        "Body": message.body,
        "NumMedia": "0",
        "NumSegments": str(message.num_segments),
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
        "FromCountry": country_of(message.sender or ""),
        "ToCountry": country_of(message.to),
    }
    return params | ({"OptOutType": keyword} if keyword else {})


async def receive(state: GatewayState, sender_given: str, body: str, to: str | None) -> Received:
    number = parse_e164(sender_given, HOME_REGION)
    if number is None:
        raise twilio_error(21211, number=sender_given)
    sender, now = e164(number), stored_time(state.now())
    message = Message(
        sid=new_sid(),
        account_sid=state.settings.account_sid,
        direction="inbound",
        sender=sender,
        to=to or state.settings.phone_numbers[0],
        body=body,
        status="received",
        num_segments=count_segments(body),
        date_created=now,
        date_updated=now,
        date_sent=now,
    )
    keyword = opt_out_type(body)
    with state.sessions() as db:
        db.add(message)
        db.commit()
    if keyword:
        state.opt_outs.record(sender, keyword == "STOP", now)
    return Received(message.sid, keyword, await post_to_webhook(state, message, keyword))


async def post_to_webhook(state: GatewayState, message: Message, keyword: str | None) -> int | None:
    url = state.settings.inbound_webhook
    if url is None:
        return None
    poster, _ = state.running()
    return await poster.post(url, inbound_params(message, keyword), about=message.sid)
