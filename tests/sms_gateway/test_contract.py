"""The gateway honours Twilio's published Messages contract (../shared/data/twilio/, OpenAPI 3): every request the
twilio library sends to it and every answer it gives are validated against that file with openapi-core.

The contract names one server, https://api.twilio.com, and the gateway listens on loopback, so a request is checked
as if addressed to the contract's server: the host is the only thing replaced; method, path, query, headers (the
basic auth the contract requires) and body are checked as they were sent. The contract describes no error
answers, so an error is checked for the request that caused it and for Twilio's documented error form.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.paths.exceptions import ServerNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound
from twilio.base.exceptions import TwilioRestException

from tests.conftest import REPO
from tests.sms_gateway.conftest import ACCOUNT_SID, AUTH_TOKEN, HOLDER, LANDLINE, SENDER, WAIT_S, Gateway, twilio_client

CONTRACT_PATH = REPO.parent / "shared" / "data" / "twilio" / "twilio_api_v2010_messages.json"
TWILIO_SERVER = "https://api.twilio.com"


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    assert CONTRACT_PATH.is_file(), f"Twilio's Messages contract is expected at {CONTRACT_PATH}"
    spec: dict[str, Any] = json.loads(CONTRACT_PATH.read_text(encoding="utf-8"))
    return spec


@pytest.fixture(scope="module")
def openapi(contract: dict[str, Any]) -> OpenAPI:
    return OpenAPI.from_dict(contract)


class AddressedToTwilio(RequestsOpenAPIRequest):
    """A request the library sent to the gateway, seen as if sent to the contract's server."""

    @property
    def host_url(self) -> str:
        return TWILIO_SERVER


class Exchanges:
    """Every request/response pair the library makes, captured with a requests response hook."""

    def __init__(self) -> None:
        self.seen: list[requests.Response] = []

    def hook(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        self.seen.append(response)

    def check(self, openapi: OpenAPI) -> list[tuple[str, int]]:
        """Validate all of them; what was checked, as (method, status)."""
        for response in self.seen:
            request = AddressedToTwilio(response.request)
            openapi.validate_request(request)
            openapi.validate_response(request, RequestsOpenAPIResponse(response))
        return [(str(r.request.method), r.status_code) for r in self.seen]


@pytest.fixture
def recorded(gateway: Gateway) -> Iterator[tuple[Gateway, Exchanges]]:
    exchanges = Exchanges()
    gateway.client = twilio_client(gateway.url, on_response=exchanges.hook)
    yield gateway, exchanges


def test_the_contract_names_twilios_server_only(contract: dict[str, Any], openapi: OpenAPI, gateway: Gateway) -> None:
    assert contract["servers"] == [{"url": TWILIO_SERVER}]
    response = requests.get(f"{gateway.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json", timeout=WAIT_S)
    with pytest.raises(ServerNotFound):  # why requests are re-addressed before they are checked
        openapi.validate_request(RequestsOpenAPIRequest(response.request))


def test_create_and_fetch_follow_the_contract(openapi: OpenAPI, recorded: tuple[Gateway, Exchanges]) -> None:
    gateway, exchanges = recorded
    message = gateway.send(status_callback="http://127.0.0.1:9/status")
    gateway.client.messages(message.sid).fetch()
    service = "MG" + "2e" * 16
    gateway.client.messages.create(to=HOLDER, messaging_service_sid=service, body="您好")
    assert exchanges.check(openapi) == [("POST", 201), ("GET", 200), ("POST", 201)]


def test_list_pages_follow_the_contract(openapi: OpenAPI, recorded: tuple[Gateway, Exchanges]) -> None:
    gateway, exchanges = recorded
    for n in range(5):
        gateway.send(body=f"第{n}条")
    exchanges.seen.clear()
    assert len(gateway.client.messages.list(to=HOLDER, from_=SENDER, page_size=2)) == 5
    since = datetime.now(UTC) - timedelta(days=1)
    gateway.client.messages.list(date_sent_after=since, date_sent_before=since + timedelta(days=2))
    assert exchanges.check(openapi) == [("GET", 200)] * 4


def test_redaction_and_deletion_follow_the_contract(openapi: OpenAPI, recorded: tuple[Gateway, Exchanges]) -> None:
    gateway, exchanges = recorded
    inbound = requests.post(f"{gateway.url}/_sandbox/inbound", data={"From": HOLDER, "Body": "收到"}, timeout=WAIT_S)
    sid = inbound.json()["sid"]  # received messages are final at once, so they may be deleted
    gateway.client.messages(sid).update(body="")
    gateway.client.messages(sid).delete()
    assert exchanges.check(openapi) == [("POST", 200), ("DELETE", 204)]


def test_an_error_answers_a_valid_request_in_twilios_documented_form(
    openapi: OpenAPI, recorded: tuple[Gateway, Exchanges]
) -> None:
    gateway, exchanges = recorded
    with pytest.raises(TwilioRestException):
        gateway.send(to=LANDLINE)
    [response] = exchanges.seen
    request = AddressedToTwilio(response.request)
    openapi.validate_request(request)  # well formed: refused for what it asks, not for its form
    with pytest.raises(ResponseNotFound):
        openapi.validate_response(request, RequestsOpenAPIResponse(response))
    assert response.json() == {
        "code": 21614,
        "message": f"'To' number {LANDLINE} is not a valid mobile number",
        "more_info": "https://www.twilio.com/docs/errors/21614",
        "status": 400,
    }


def test_a_request_the_contract_rejects_is_refused_by_the_gateway_too(openapi: OpenAPI, gateway: Gateway) -> None:
    url = f"{gateway.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    response = requests.post(
        url, data={"From": SENDER, "Body": "没有收件人"}, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=WAIT_S
    )
    with pytest.raises(OpenAPIError):
        openapi.validate_request(AddressedToTwilio(response.request))
    assert (response.status_code, response.json()["code"]) == (400, 21604)


def test_the_check_is_not_vacuous_a_resource_of_the_wrong_shape_fails(
    openapi: OpenAPI, recorded: tuple[Gateway, Exchanges]
) -> None:
    gateway, exchanges = recorded
    gateway.send()
    [response] = exchanges.seen
    resource = response.json() | {"num_segments": 1, "status": "on its way"}  # a number, and no such status
    response._content = json.dumps(resource).encode()
    with pytest.raises(OpenAPIError):
        openapi.validate_response(AddressedToTwilio(response.request), RequestsOpenAPIResponse(response))
