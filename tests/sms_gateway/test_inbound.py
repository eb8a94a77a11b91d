"""A holder's reply: /_sandbox/inbound makes the gateway POST it, signed, to the inbound webhook with Twilio's
parameters; an opt-out keyword (TD, 退订, STOP …) unsubscribes the holder as Twilio would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from tests.sms_gateway.conftest import ACCOUNT_SID, AUTH_TOKEN, HOLDER, SENDER, WAIT_S, Gateway, Receiver


def reply(gateway: Gateway, body: str, sender: str = HOLDER) -> dict[str, Any]:
    response = requests.post(f"{gateway.url}/_sandbox/inbound", data={"From": sender, "Body": body}, timeout=WAIT_S)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


@pytest.fixture
def replying(start_gateway: Callable[..., Gateway], receiver: Receiver) -> Gateway:
    return start_gateway(inbound_webhook=f"{receiver.url}/sms/inbound")


def test_a_reply_is_posted_signed_with_twilios_inbound_parameters(replying: Gateway, receiver: Receiver) -> None:
    answer = reply(replying, "请问续证需要什么材料？")
    [posted] = receiver.posted
    assert answer == {"sid": posted.form["MessageSid"], "opt_out_type": None, "webhook_status": 200}
    assert RequestValidator(AUTH_TOKEN).validate(posted.url, posted.form, posted.signature)
    assert posted.form == {
        "MessageSid": answer["sid"],
        "SmsSid": answer["sid"],
        "SmsMessageSid": answer["sid"],
        "AccountSid": ACCOUNT_SID,
        "From": HOLDER,
        "To": SENDER,
        "Body": "请问续证需要什么材料？",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        "FromCountry": "CN",
        "ToCountry": "US",
    }


@pytest.mark.parametrize("keyword", ["TD", "td ", "T", "退订", "STOP"])
def test_an_opt_out_reply_unsubscribes_the_holder(replying: Gateway, receiver: Receiver, keyword: str) -> None:
    assert reply(replying, keyword)["opt_out_type"] == "STOP"
    assert receiver.posted[-1].form["OptOutType"] == "STOP"
    with pytest.raises(TwilioRestException) as raised:
        replying.send()
    assert raised.value.code == 21610


def test_start_subscribes_the_holder_again(replying: Gateway) -> None:
    reply(replying, "TD")
    assert reply(replying, "START")["opt_out_type"] == "START"
    assert replying.send().status == "queued"


def test_a_sender_typed_without_the_country_code_is_read_as_chinese(replying: Gateway, receiver: Receiver) -> None:
    reply(replying, "好的", sender="13812345678")
    assert receiver.posted[-1].form["From"] == HOLDER


def test_replies_are_listed_as_inbound_messages(replying: Gateway) -> None:
    sid = reply(replying, "收到")["sid"]
    [message] = replying.client.messages.list(from_=HOLDER)
    assert (message.sid, message.direction, message.status, message.to) == (sid, "inbound", "received", SENDER)


def test_without_a_webhook_the_reply_is_only_stored(gateway: Gateway) -> None:
    answer = reply(gateway, "收到")
    assert answer["webhook_status"] is None
    assert gateway.client.messages(answer["sid"]).fetch().body == "收到"
