"""What Twilio refuses, the gateway refuses with the same status and code (as TwilioRestException in the library)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from sandbox.sms_gateway.settings import Faults
from tests.sms_gateway.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    HOLDER,
    LANDLINE,
    SENDER,
    WAIT_S,
    Gateway,
    raw_get,
    twilio_client,
)

BODY = "您的许可证即将到期。"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"to": "", "from_": SENDER, "body": BODY}, 21604),  # no recipient
        ({"to": HOLDER, "body": BODY}, 21603),  # neither From nor MessagingServiceSid
        ({"to": HOLDER, "from_": SENDER, "body": ""}, 21602),  # no body
        ({"to": "+86138123", "from_": SENDER, "body": BODY}, 21211),  # too short to be a number
        ({"to": "13812345678", "from_": SENDER, "body": BODY}, 21211),  # not E.164 (no +86)
        ({"to": LANDLINE, "from_": SENDER, "body": BODY}, 21614),  # a Beijing landline cannot take an SMS
        ({"to": HOLDER, "from_": "+15005550001", "body": BODY}, 21606),  # not one of the account's numbers
        ({"to": HOLDER, "messaging_service_sid": "MG123", "body": BODY}, 21701),  # malformed service SID
        ({"to": HOLDER, "from_": SENDER, "body": "您" * 1601}, 21617),  # over Twilio's 1600 characters
    ],
)
def test_it_refuses_a_message_twilio_would_refuse(gateway: Gateway, params: dict[str, Any], code: int) -> None:
    with pytest.raises(TwilioRestException) as raised:
        gateway.client.messages.create(**params)
    assert (raised.value.status, raised.value.code) == (400, code)


def test_an_alphanumeric_sender_id_is_accepted(gateway: Gateway) -> None:
    assert gateway.client.messages.create(to=HOLDER, from_="ETKQ GOV", body=BODY).from_ == "ETKQ GOV"


def test_it_marks_a_number_configured_invalid_with_21211(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(invalid_numbers=frozenset({HOLDER})))
    with pytest.raises(TwilioRestException) as raised:
        gateway.send()
    assert (raised.value.status, raised.value.code) == (400, 21211)
    assert raised.value.msg.endswith(f"The 'To' number {HOLDER} is not a valid phone number.")


def test_it_refuses_an_unsubscribed_recipient_with_21610(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(unsubscribed_numbers=frozenset({HOLDER})))
    with pytest.raises(TwilioRestException) as raised:
        gateway.send()
    assert (raised.value.status, raised.value.code) == (400, 21610)


def test_a_refused_message_is_not_stored(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=Faults(unsubscribed_numbers=frozenset({HOLDER})))
    with pytest.raises(TwilioRestException):
        gateway.send()
    assert gateway.client.messages.list() == []


def test_a_wrong_auth_token_is_refused_with_20003(gateway: Gateway) -> None:
    with pytest.raises(TwilioRestException) as raised:
        twilio_client(gateway.url, auth_token="not-the-token").messages.create(to=HOLDER, from_=SENDER, body=BODY)
    assert (raised.value.status, raised.value.code) == (401, 20003)


def test_missing_credentials_are_refused_with_a_basic_challenge(gateway: Gateway) -> None:
    anonymous = requests.get(f"{gateway.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json", timeout=WAIT_S)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Basic")
    assert anonymous.json() == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }


def test_another_accounts_messages_are_refused_even_with_valid_credentials(gateway: Gateway) -> None:
    other = "AC" + "0" * 32
    response = raw_get(gateway, f"/2010-04-01/Accounts/{other}/Messages.json")
    assert (response.status_code, response.json()["code"]) == (401, 20003)


def test_an_unknown_api_path_or_method_answers_in_twilios_form(gateway: Gateway) -> None:
    response = raw_get(gateway, f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json")
    assert (response.status_code, response.json()["code"]) == (404, 20404)
    url = f"{gateway.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    response = requests.delete(url, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=WAIT_S)
    assert (response.status_code, response.json()["code"]) == (405, 20004)


def test_a_malformed_page_size_or_date_is_an_invalid_parameter(gateway: Gateway) -> None:
    path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert raw_get(gateway, path, PageSize="1001").json()["code"] == 20001
    assert raw_get(gateway, path, **{"DateSent>": "yesterday"}).json()["code"] == 20001
