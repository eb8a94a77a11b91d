"""The provider's callbacks: signed requests change the outbox, unsigned or wrongly signed ones are refused and
change nothing; a holder replying "TD" stops further SMS."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select
from twilio.request_validator import RequestValidator

from ground.http_serving import serving
from ground.store.tables import notifications, sms_opt_outs
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from notifications.webhooks import MAX_BODY_BYTES, create_webhooks
from tests.notifications.conftest import MOBILE, NOON, TODAY, CaseMaker, ScriptedSender, make_notifier

TOKEN = "b" * 32
PUBLIC = "https://notify.example.gov.cn/hooks"
NO_ANSWER_S = 30  # how long a test waits for an answer that should come at once (a wrong server never answers)


@pytest.fixture
def client(store: Engine, tmp_path: Path) -> TestClient:
    notifier = make_notifier(tmp_path, auth_token=TOKEN, public_url=PUBLIC)
    return TestClient(create_webhooks(store, notifier, lambda: NOON + timedelta(minutes=1)))


def signed(path: str, form: dict[str, str], token: str = TOKEN) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(f"{PUBLIC}{path}", form)}


def sent_sms(store: Engine, tmp_path: Path, add_case: CaseMaker) -> tuple[int, str]:
    """One seamless notice, handed to the provider: its outbox id and provider sid."""
    add_case("prefilled", "seamless", application_no="SQ1")
    notifier = make_notifier(tmp_path)
    enqueue_due(store, notifier, TODAY, NOON)
    dispatch(store, notifier, ScriptedSender(), NOON)
    with store.connect() as connection:
        row = connection.execute(select(notifications.c.id, notifications.c.provider_sid)).one()
    return row.id, row.provider_sid


def statuses(store: Engine) -> list[tuple[str, str]]:
    with store.connect() as connection:
        query = select(notifications.c.channel, notifications.c.status).order_by(notifications.c.id)
        return [(row.channel, row.status) for row in connection.execute(query)]


def test_a_signed_delivery_callback_updates_the_outbox(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker
) -> None:
    message_id, sid = sent_sms(store, tmp_path, add_case)
    form = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC" + "0" * 32}
    path = f"/sms/status?ref={message_id}"
    response = client.post(path, data=form, headers=signed(path, form))
    assert response.status_code == 200 and response.text == "delivered"
    assert statuses(store) == [("sms", "delivered")]
    late = {**form, "MessageStatus": "sent"}  # callbacks can arrive out of order: never step back
    assert client.post(path, data=late, headers=signed(path, late)).text == "ignored: already delivered"


@pytest.mark.parametrize(
    "headers",
    [
        {},  # unsigned
        {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},  # garbage
        "other token",  # signed with someone else's token
        "other url",  # a valid signature for a different URL
    ],
)
def test_an_unsigned_or_wrongly_signed_callback_is_refused_and_changes_nothing(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker, headers: dict[str, str] | str
) -> None:
    message_id, sid = sent_sms(store, tmp_path, add_case)
    form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    path = f"/sms/status?ref={message_id}"
    if headers == "other token":
        headers = signed(path, form, token="c" * 32)
    elif headers == "other url":
        headers = signed("/sms/status?ref=999", form)
    response = client.post(path, data=form, headers=headers)
    assert response.status_code == 403
    assert statuses(store) == [("sms", "queued")]


def test_an_undelivered_sms_is_replaced_by_a_letter(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker
) -> None:
    message_id, sid = sent_sms(store, tmp_path, add_case)
    form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    path = f"/sms/status?ref={message_id}"
    assert client.post(path, data=form, headers=signed(path, form)).text == "undelivered: letter instead"
    assert statuses(store) == [("sms", "undelivered"), ("letter", "created")]


def test_a_td_reply_opts_the_holder_out(client: TestClient, store: Engine) -> None:
    form = {"From": MOBILE, "To": "+8610690000", "Body": "TD", "MessageSid": "SM" + "1" * 32}
    response = client.post("/sms/inbound", data=form, headers=signed("/sms/inbound", form))
    assert response.status_code == 200 and "<Response>" in response.text
    with store.connect() as connection:
        assert connection.execute(select(sms_opt_outs.c.mobile, sms_opt_outs.c.source)).one() == (MOBILE, "reply")


def test_a_replayed_td_does_not_opt_the_holder_out_again_after_an_operator_lifted_it(
    client: TestClient, store: Engine
) -> None:
    form = {"From": MOBILE, "Body": "TD", "MessageSid": "SM" + "2" * 32}
    client.post("/sms/inbound", data=form, headers=signed("/sms/inbound", form))
    with store.begin() as connection:  # the holder asked the bureau to send SMS again
        connection.execute(delete(sms_opt_outs).where(sms_opt_outs.c.mobile == MOBILE))
    replayed = client.post("/sms/inbound", data=form, headers=signed("/sms/inbound", form))
    assert replayed.status_code == 200
    with store.connect() as connection:
        assert connection.execute(select(sms_opt_outs)).all() == []


def test_an_unsigned_reply_does_not_opt_anyone_out(client: TestClient, store: Engine) -> None:
    response = client.post("/sms/inbound", data={"From": MOBILE, "Body": "TD"})
    assert response.status_code == 403
    with store.connect() as connection:
        assert connection.execute(select(sms_opt_outs)).all() == []


@pytest.fixture
def listening(sqlite_store: Engine, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """The webhooks on a real loopback socket: what is read off the wire is what this test is about."""
    notifier = make_notifier(tmp_path, auth_token=TOKEN, public_url=PUBLIC)
    with serving(create_webhooks(sqlite_store, notifier, lambda: NOON), lifespan="off") as url:
        address = httpx.URL(url)
        yield address.host, address.port or 80


def answer_to(address: tuple[str, int], head: str, chunks: Iterator[bytes]) -> bytes:
    """The status line the server answers to a request it may stop reading part-way (then our sends fail)."""
    with socket.create_connection(address, timeout=NO_ANSWER_S) as connection:
        connection.sendall(head.encode())
        with contextlib.suppress(OSError):
            for chunk in chunks:
                connection.sendall(chunk)
        return connection.recv(64).split(b"\r\n")[0]


def test_an_upload_declared_larger_than_any_callback_is_refused_before_it_is_read(
    listening: tuple[str, int],
) -> None:
    head = "POST /sms/inbound HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    head += f"Content-Length: {300 * 1024 * 1024}\r\n\r\n"
    assert answer_to(listening, head, iter([b"Body=" + b"x" * 1024])) == b"HTTP/1.1 413 Request Entity Too Large"


def test_an_upload_without_a_length_is_cut_off_at_the_limit(listening: tuple[str, int]) -> None:
    head = "POST /sms/inbound HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n"
    chunk = b"x" * 16 * 1024
    chunks = (b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(2 * MAX_BODY_BYTES // len(chunk)))
    # Never finished: a server that read on to the end would wait here for ever instead of answering.
    assert answer_to(listening, head, chunks) == b"HTTP/1.1 413 Request Entity Too Large"
