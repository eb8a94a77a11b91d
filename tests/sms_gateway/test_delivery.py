"""Delivery runs in the background and reports each status change to the StatusCallback, signed as Twilio signs
(X-Twilio-Signature, checked here with the library's RequestValidator), including failures with their codes."""

from __future__ import annotations

from collections.abc import Callable

from twilio.request_validator import RequestValidator

from sandbox.sms_gateway.settings import Faults
from tests.sms_gateway.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    HOLDER,
    SENDER,
    Gateway,
    Posted,
    Receiver,
    wait_until,
)

VALIDATOR = RequestValidator(AUTH_TOKEN)


def is_signed(posted: Posted, validator: RequestValidator = VALIDATOR) -> bool:
    return bool(validator.validate(posted.url, posted.form, posted.signature))


def test_it_posts_each_status_change_signed_with_twilios_parameters(gateway: Gateway, receiver: Receiver) -> None:
    message = gateway.send(status_callback=f"{receiver.url}/sms/status?ref=42")
    posted = receiver.wait_for_status(message.sid, "delivered")
    assert receiver.statuses(message.sid) == ["sending", "sent", "delivered"]
    assert all(is_signed(p) for p in posted) and posted[0].url.endswith("/sms/status?ref=42")
    assert posted[-1].form == {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "AccountSid": ACCOUNT_SID,
        "From": SENDER,
        "To": HOLDER,
        "MessageStatus": "delivered",
        "SmsStatus": "delivered",
        "ApiVersion": "2010-04-01",
    }


def test_a_tampered_or_foreign_callback_does_not_verify(gateway: Gateway, receiver: Receiver) -> None:
    message = gateway.send(status_callback=f"{receiver.url}/sms/status")
    delivered = receiver.wait_for_status(message.sid, "delivered")[-1]
    forged = Posted(delivered.url, delivered.signature, delivered.form | {"MessageStatus": "failed"})
    assert is_signed(delivered) and not is_signed(forged)
    assert not is_signed(delivered, RequestValidator("another-accounts-token"))


def test_an_undelivered_number_ends_undelivered_with_its_error_code(
    start_gateway: Callable[..., Gateway], receiver: Receiver
) -> None:
    gateway = start_gateway(faults=Faults(undelivered_numbers={HOLDER: 30003}, delivery_step_ms=5))
    message = gateway.send(status_callback=f"{receiver.url}/status")
    last = receiver.wait_for_status(message.sid, "undelivered")[-1]
    assert receiver.statuses(message.sid) == ["sending", "sent", "undelivered"] and last.form["ErrorCode"] == "30003"
    fetched = gateway.client.messages(message.sid).fetch()
    assert (fetched.error_code, fetched.error_message) == (30003, "Unreachable destination handset")


def test_a_failed_number_fails_without_being_sent(start_gateway: Callable[..., Gateway], receiver: Receiver) -> None:
    gateway = start_gateway(faults=Faults(failed_numbers={HOLDER: 30008}, delivery_step_ms=5))
    message = gateway.send(status_callback=f"{receiver.url}/status")
    assert receiver.wait_for_status(message.sid, "failed")[-1].form["ErrorCode"] == "30008"
    assert receiver.statuses(message.sid) == ["sending", "failed"]
    assert gateway.client.messages(message.sid).fetch().date_sent is None


def test_a_messaging_service_message_is_queued_with_a_sender_before_sending(
    gateway: Gateway, receiver: Receiver
) -> None:
    service = "MG" + "2e" * 16
    message = gateway.client.messages.create(
        to=HOLDER, messaging_service_sid=service, body="您好", status_callback=f"{receiver.url}/status"
    )
    posted = receiver.wait_for_status(message.sid, "delivered")
    assert receiver.statuses(message.sid) == ["queued", "sending", "sent", "delivered"]
    assert {(p.form["From"], p.form["MessagingServiceSid"]) for p in posted} == {(SENDER, service)}


def test_a_failing_callback_target_is_retried_a_little_and_delivery_goes_on(
    start_gateway: Callable[..., Gateway], receiver: Receiver
) -> None:
    gateway = start_gateway(callback_attempts=2)
    receiver.status = 500
    message = gateway.send(status_callback=f"{receiver.url}/status")
    receiver.wait_for(lambda posted: len(posted) == 6)  # three statuses, each tried twice
    assert gateway.client.messages(message.sid).fetch().status == "delivered"


def test_an_unreachable_callback_target_does_not_break_the_gateway(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(callback_attempts=1)
    message = gateway.send(status_callback="http://127.0.0.1:9/nobody-listens")
    wait_until(lambda: gateway.client.messages(message.sid).fetch().status == "delivered")
    assert gateway.send().status == "queued"
