"""Creating, fetching and listing messages through the real twilio library, as the service will."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from twilio.base.exceptions import TwilioRestException

from ground.http_serving import serving
from sandbox.sms_gateway.app import create_app
from sandbox.sms_gateway.settings import Faults
from tests.sms_gateway.conftest import (
    ACCOUNT_SID,
    HOLDER,
    OTHER_HOLDER,
    SENDER,
    Gateway,
    Receiver,
    raw_get,
    settings_for,
    twilio_client,
)

SID = re.compile(r"^SM[0-9a-f]{32}$")
SERVICE_SID = "MG" + "2e" * 16
HOLD = Faults(delivery_step_ms=3_600_000)  # delivery never gets past "queued" during a test


def test_it_creates_a_queued_message_as_twilio_writes_it(gateway: Gateway) -> None:
    message = gateway.send(body="【鄂托克旗政务服务局】您的食品经营许可证已续期。")
    assert SID.match(message.sid) and message.account_sid == ACCOUNT_SID
    assert (message.status, message.direction, message.from_, message.to) == ("queued", "outbound-api", SENDER, HOLDER)
    assert (message.num_segments, message.num_media, message.api_version) == ("1", "0", "2010-04-01")
    assert message.uri == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message.sid}.json"
    assert message.subresource_uris == {"media": message.uri.replace(".json", "/Media.json")}
    assert message.date_sent is None and message.error_code is None


def test_its_dates_are_rfc_2822_in_gmt_as_twilio_writes_them(gateway: Gateway) -> None:
    created = gateway.send()
    raw = raw_get(gateway, f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{created.sid}.json").json()
    assert re.match(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", raw["date_created"])
    assert abs(parsedate_to_datetime(raw["date_created"]) - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_long_chinese_message_counts_ucs2_segments(gateway: Gateway) -> None:
    assert gateway.send(body="您" * 71).num_segments == "2"


def test_through_a_messaging_service_it_is_accepted_with_no_sender_or_segments_yet(
    start_gateway: Callable[..., Gateway],
) -> None:
    gateway = start_gateway(faults=HOLD)
    message = gateway.client.messages.create(to=HOLDER, messaging_service_sid=SERVICE_SID, body="您好")
    assert (message.status, message.from_, message.num_segments) == ("accepted", None, "0")
    assert message.messaging_service_sid == SERVICE_SID


def test_creating_does_not_wait_for_delivery(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=HOLD)
    message = gateway.send()
    assert gateway.client.messages(message.sid).fetch().status == "queued"


def test_it_fetches_a_message_after_delivery(gateway: Gateway, receiver: Receiver) -> None:
    created = gateway.send(status_callback=f"{receiver.url}/status")
    receiver.wait_for_status(created.sid, "delivered")
    fetched = gateway.client.messages(created.sid).fetch()
    assert (fetched.sid, fetched.status, fetched.body) == (created.sid, "delivered", created.body)
    assert fetched.date_sent is not None and fetched.date_sent >= fetched.date_created


def test_fetching_an_unknown_message_is_20404(gateway: Gateway) -> None:
    with pytest.raises(TwilioRestException) as raised:
        gateway.client.messages("SM" + "0" * 32).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)


def test_it_lists_newest_first_filtered_by_recipient_and_sender(gateway: Gateway) -> None:
    first, second = gateway.send(body="一"), gateway.send(body="二")
    gateway.send(to=OTHER_HOLDER)
    listed = gateway.client.messages.list(to=HOLDER, from_=SENDER)
    assert [m.sid for m in listed] == [second.sid, first.sid]
    assert gateway.client.messages.list(to="+8613700000000") == []


def test_list_and_stream_follow_next_page_uri_across_pages(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=HOLD)
    sent = [gateway.send(body=f"第{n}条").sid for n in range(7)]
    newest_first = list(reversed(sent))
    assert [m.sid for m in gateway.client.messages.list(to=HOLDER, page_size=3)] == newest_first
    assert [m.sid for m in gateway.client.messages.stream(to=HOLDER, limit=5, page_size=2)] == newest_first[:5]
    page = gateway.client.messages.page(to=HOLDER, page_size=3)
    third = page.next_page().next_page()
    assert [m.sid for m in third] == newest_first[6:] and third.next_page() is None
    assert [m.sid for m in third.previous_page()] == newest_first[3:6]


def test_it_filters_by_date_sent(gateway: Gateway, receiver: Receiver) -> None:
    message = gateway.send(status_callback=f"{receiver.url}/status")
    receiver.wait_for_status(message.sid, "sent")
    now = datetime.now(UTC)
    by_date = gateway.client.messages.list
    assert [m.sid for m in by_date(to=HOLDER, date_sent_after=now - timedelta(hours=1))] == [message.sid]
    assert by_date(to=HOLDER, date_sent_after=now + timedelta(hours=1)) == []
    assert by_date(to=HOLDER, date_sent_before=now - timedelta(days=1)) == []
    assert [m.sid for m in by_date(to=HOLDER, date_sent=now)] == [message.sid]


def test_a_date_sent_filter_leaves_out_messages_not_sent_yet(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=HOLD)
    gateway.send()
    assert gateway.client.messages.list(to=HOLDER, date_sent_after=datetime.now(UTC) - timedelta(days=1)) == []


def test_messages_outlive_the_gateway_and_delivery_carries_on_after_a_restart(
    tmp_path: Path, receiver: Receiver
) -> None:
    held = create_app(settings_for(tmp_path / "gateway.db", faults=HOLD))
    with serving(held, lifespan="on") as url:
        message = twilio_client(url).messages.create(
            to=HOLDER, from_=SENDER, body="您好", status_callback=f"{receiver.url}/status"
        )
    again = create_app(settings_for(tmp_path / "gateway.db", faults=Faults(delivery_step_ms=5)))
    with serving(again, lifespan="on") as url:
        receiver.wait_for_status(message.sid, "delivered")
        assert [m.sid for m in twilio_client(url).messages.list(to=HOLDER)] == [message.sid]


def test_a_delivered_message_can_be_redacted_and_deleted(gateway: Gateway, receiver: Receiver) -> None:
    message = gateway.send(status_callback=f"{receiver.url}/status")
    receiver.wait_for_status(message.sid, "delivered")
    assert gateway.client.messages(message.sid).update(body="").body == ""
    assert gateway.client.messages(message.sid).delete() is True
    assert gateway.client.messages.list(to=HOLDER) == []


def test_a_message_in_flight_cannot_be_deleted(start_gateway: Callable[..., Gateway]) -> None:
    gateway = start_gateway(faults=HOLD)
    message = gateway.send()
    with pytest.raises(TwilioRestException) as raised:
        gateway.client.messages(message.sid).delete()
    assert raised.value.code == 20009
