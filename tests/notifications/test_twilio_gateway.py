"""The whole SMS path with the real `twilio` library against the sandbox gateway on loopback: sending, each fault
the gateway injects, signed delivery callbacks and replies into the service's webhooks, and a process killed
between the provider's answer and our commit — after which the message still goes exactly once."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from ground.http_serving import serving
from ground.store.tables import notifications, sms_opt_outs
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from notifications.notifier import Notifier
from notifications.webhooks import create_webhooks
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, gateway_process
from tests.conftest import patient
from tests.notifications.conftest import NOON, TODAY, CaseMaker, make_notifier

SENDER = "+15005550006"
ROUNDS = 30  # dispatch rounds a seeded half of failing calls is given to settle (a handful are needed)
WAIT_S = patient(20)  # upper bound for the gateway's delivery callbacks to arrive (they come ~0.2 s apart)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with gateway_process(tmp_path_factory.mktemp("gateway") / "gateway.db", "--delivery-step-ms", "50") as url:
        yield url


@pytest.fixture
def faults(gateway: str) -> Iterator[Callable[..., None]]:
    def set_faults(**changes: Any) -> None:
        httpx.post(f"{gateway}/_sandbox/faults", json=changes).raise_for_status()

    yield set_faults
    set_faults(
        invalid_numbers=[],
        unsubscribed_numbers=[],
        failed_numbers={},
        rate_limit_share=0.0,
        server_error_share=0.0,
        error_phase="before",
        slow_ms=0,
    )


def twilio_notifier(folder: Path, gateway: str, public_url: str | None = None) -> Notifier:
    return make_notifier(
        folder,
        sender="twilio",
        account_sid=SANDBOX_ACCOUNT_SID,
        auth_token=SANDBOX_AUTH_TOKEN,
        from_number=SENDER,
        api_base_url=gateway,
        public_url=public_url,
        timeout_seconds=5,
    )


def outbox(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(notifications).order_by(notifications.c.id)).mappings()]


def at_gateway(gateway: str, to: str) -> list[Any]:
    client = Client(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN)
    client.api.base_url = gateway
    return list(client.messages.list(to=to))


def wait_for(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        assert time.monotonic() < deadline, "the gateway's callbacks did not arrive"
        time.sleep(0.05)


def unique_mobile(n: int) -> str:
    return f"+86139{os.getpid() % 10_000:04d}{n:04d}"


@contextmanager
def webhooks(store: Engine, gateway: str, folder: Path) -> Iterator[Notifier]:
    """The service's webhooks on loopback, and a notifier whose status callbacks point at them. The port is
    chosen first because the signature check needs the public URL before the app exists."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    notifier = twilio_notifier(folder, gateway, f"http://127.0.0.1:{port}")
    with serving(create_webhooks(store, notifier, lambda: NOON), port=port, lifespan="off"):
        yield notifier


def test_an_sms_goes_through_the_gateway_and_its_delivery_comes_back_signed(
    sqlite_store: Engine, add_case_sqlite: CaseMaker, gateway: str, tmp_path: Path
) -> None:
    mobile = unique_mobile(1)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    with webhooks(sqlite_store, gateway, tmp_path) as notifier:
        enqueue_due(sqlite_store, notifier, TODAY, NOON)
        assert dispatch(sqlite_store, notifier, notifier.sender(), NOON).as_counts() == {"sent": 1}
        wait_for(lambda: outbox(sqlite_store)[0]["status"] == "delivered")
    [message] = at_gateway(gateway, mobile)
    assert message.sid == outbox(sqlite_store)[0]["provider_sid"]
    assert message.body == outbox(sqlite_store)[0]["body"]


def test_a_number_the_provider_calls_invalid_gets_a_letter(
    sqlite_store: Engine, add_case_sqlite: CaseMaker, gateway: str, tmp_path: Path, faults: Callable[..., None]
) -> None:
    mobile = unique_mobile(2)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    faults(invalid_numbers=[mobile])
    notifier = twilio_notifier(tmp_path, gateway)
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    assert dispatch(sqlite_store, notifier, notifier.sender(), NOON).as_counts() == {"refused: letter instead": 1}
    sms, letter = outbox(sqlite_store)
    assert (sms["status"], sms["error_code"], letter["channel"]) == ("rejected", "21211", "letter")


def test_an_unsubscribed_number_is_remembered_and_gets_a_letter(
    sqlite_store: Engine, add_case_sqlite: CaseMaker, gateway: str, tmp_path: Path, faults: Callable[..., None]
) -> None:
    mobile = unique_mobile(3)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    faults(unsubscribed_numbers=[mobile])
    notifier = twilio_notifier(tmp_path, gateway)
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    dispatch(sqlite_store, notifier, notifier.sender(), NOON)
    assert [(row["channel"], row["status"]) for row in outbox(sqlite_store)] == [
        ("sms", "rejected"),
        ("letter", "created"),
    ]
    with sqlite_store.connect() as connection:
        assert connection.execute(select(sms_opt_outs.c.source)).scalar() == "provider"


def test_throttling_is_retried_later(
    sqlite_store: Engine, add_case_sqlite: CaseMaker, gateway: str, tmp_path: Path, faults: Callable[..., None]
) -> None:
    mobile = unique_mobile(4)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    notifier = twilio_notifier(tmp_path, gateway)
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    faults(rate_limit_share=1.0)  # a 429 proves the message was not taken
    assert dispatch(sqlite_store, notifier, notifier.sender(), NOON).as_counts() == {"retry later": 1}
    faults(rate_limit_share=0.0)
    assert dispatch(sqlite_store, notifier, notifier.sender(), NOON + timedelta(hours=1)).as_counts() == {"sent": 1}
    assert len(at_gateway(gateway, mobile)) == 1


@pytest.mark.parametrize(
    ("phase", "later"),
    [
        ("before", {"reconciled: not sent, queued again": 1, "sent": 1}),  # refused unhandled: found missing, sent
        ("after", {"reconciled: had been sent": 1}),  # created, then the answer was lost: found, not sent again
    ],
)
def test_a_server_error_is_reconciled_with_the_provider_before_any_resend(
    sqlite_store: Engine,
    add_case_sqlite: CaseMaker,
    gateway: str,
    tmp_path: Path,
    faults: Callable[..., None],
    phase: str,
    later: dict[str, int],
) -> None:
    mobile = unique_mobile(5 if phase == "before" else 10)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    notifier = twilio_notifier(tmp_path, gateway)
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    faults(server_error_share=1.0, error_phase=phase)
    assert dispatch(sqlite_store, notifier, notifier.sender(), NOON).as_counts() == {"uncertain: reconcile": 1}
    faults(server_error_share=0.0)
    assert dispatch(sqlite_store, notifier, notifier.sender(), NOON + timedelta(minutes=1)).as_counts() == later
    [message] = at_gateway(gateway, mobile)
    assert outbox(sqlite_store)[0]["provider_sid"] == message.sid


def test_server_errors_after_acceptance_give_each_holder_exactly_one_sms(
    sqlite_store: Engine, add_case_sqlite: CaseMaker, tmp_path: Path
) -> None:
    mobiles = [unique_mobile(100 + n) for n in range(8)]
    for n, mobile in enumerate(mobiles):
        add_case_sqlite("prefilled", "seamless", application_no=f"SQ{n}", mobile=mobile)
    faulty = ("--server-error-share", "0.5", "--error-phase", "after", "--seed", "20")
    with gateway_process(tmp_path / "faulty.db", *faulty) as gateway:
        notifier = twilio_notifier(tmp_path, gateway)
        enqueue_due(sqlite_store, notifier, TODAY, NOON)
        for minute in range(ROUNDS):  # each round reconciles what the last one left uncertain
            dispatch(sqlite_store, notifier, notifier.sender(), NOON + timedelta(minutes=minute))
            if all(row["provider_sid"] for row in outbox(sqlite_store)):
                break
        httpx.post(f"{gateway}/_sandbox/faults", json={"server_error_share": 0.0}).raise_for_status()
        assert [len(at_gateway(gateway, mobile)) for mobile in mobiles] == [1] * len(mobiles)
    assert all(row["provider_sid"] for row in outbox(sqlite_store))


def test_a_provider_too_slow_to_answer_is_reconciled_not_sent_twice(
    sqlite_store: Engine, add_case_sqlite: CaseMaker, gateway: str, tmp_path: Path, faults: Callable[..., None]
) -> None:
    mobile = unique_mobile(9)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    notifier = make_notifier(
        tmp_path,
        sender="twilio",
        account_sid=SANDBOX_ACCOUNT_SID,
        auth_token=SANDBOX_AUTH_TOKEN,
        from_number=SENDER,
        api_base_url=gateway,
        timeout_seconds=0.5,
    )
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    faults(slow_ms=1500)  # the gateway creates the message but answers after our timeout
    assert dispatch(sqlite_store, notifier, notifier.sender(), NOON).as_counts() == {"uncertain: reconcile": 1}
    faults(slow_ms=0)
    time.sleep(2)  # the slow request finishes at the gateway, one way or the other, within the reconciling grace
    later = dispatch(sqlite_store, notifier, notifier.sender(), NOON + timedelta(minutes=1)).as_counts()
    # Whether the gateway created it before our client gave up or not, the holder gets it exactly once.
    assert later in ({"reconciled: had been sent": 1}, {"reconciled: not sent, queued again": 1, "sent": 1})
    [message] = at_gateway(gateway, mobile)
    assert outbox(sqlite_store)[0]["provider_sid"] == message.sid


def test_a_failed_delivery_reported_by_callback_gets_a_letter(
    sqlite_store: Engine, add_case_sqlite: CaseMaker, gateway: str, tmp_path: Path, faults: Callable[..., None]
) -> None:
    mobile = unique_mobile(6)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    faults(failed_numbers={mobile: 30008})
    with webhooks(sqlite_store, gateway, tmp_path) as notifier:
        enqueue_due(sqlite_store, notifier, TODAY, NOON)
        dispatch(sqlite_store, notifier, notifier.sender(), NOON)
        wait_for(lambda: len(outbox(sqlite_store)) == 2)
    sms, letter = outbox(sqlite_store)
    assert (sms["status"], sms["error_code"], letter["channel"]) == ("failed", "30008", "letter")


def test_a_holder_texting_td_is_opted_out_through_the_signed_inbound_webhook(
    sqlite_store: Engine, tmp_path: Path
) -> None:
    mobile = unique_mobile(7)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hooks = f"http://127.0.0.1:{port}"
    notifier = twilio_notifier(tmp_path, "http://127.0.0.1:9", hooks)
    with (
        serving(create_webhooks(sqlite_store, notifier, lambda: NOON), port=port, lifespan="off"),
        gateway_process(tmp_path / "inbound.db", "--inbound-webhook", f"{hooks}/sms/inbound") as gateway,
    ):
        answer = httpx.post(f"{gateway}/_sandbox/inbound", data={"From": mobile, "Body": "TD"})
    assert answer.status_code == 200
    with sqlite_store.connect() as connection:
        assert connection.execute(select(sms_opt_outs.c.mobile, sms_opt_outs.c.source)).one() == (mobile, "reply")


def test_the_logs_of_a_send_and_a_reply_never_show_a_whole_mobile_number(
    sqlite_store: Engine,
    add_case_sqlite: CaseMaker,
    gateway: str,
    tmp_path: Path,
    faults: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    holder, replier = unique_mobile(11), unique_mobile(12)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=holder)
    caplog.set_level(logging.DEBUG)
    with webhooks(sqlite_store, gateway, tmp_path) as notifier:
        enqueue_due(sqlite_store, notifier, TODAY, NOON)
        faults(server_error_share=1.0, error_phase="after")  # a warning naming the SMS, then a lookup by number
        dispatch(sqlite_store, notifier, notifier.sender(), NOON)
        faults(server_error_share=0.0)
        dispatch(sqlite_store, notifier, notifier.sender(), NOON + timedelta(minutes=1))
        assert notifier.settings.sms.public_url is not None
        inbound = f"{notifier.settings.sms.public_url}/sms/inbound"
        form = {"From": replier, "Body": "TD", "MessageSid": "SM" + "c" * 32}
        signature = RequestValidator(SANDBOX_AUTH_TOKEN).compute_signature(inbound, form)
        httpx.post(inbound, data=form, headers={"X-Twilio-Signature": signature}).raise_for_status()
    for number in (holder, replier):
        assert number not in caplog.text and number.removeprefix("+86") not in caplog.text
        assert f"{number[:-8]}****{number[-4:]}" in caplog.text  # the lines are there, masked


def test_a_process_killed_after_the_provider_took_the_sms_never_sends_it_twice(
    tmp_path: Path, add_case_sqlite: CaseMaker, sqlite_store: Engine, gateway: str
) -> None:
    mobile = unique_mobile(8)
    add_case_sqlite("prefilled", "seamless", application_no="SQ1", mobile=mobile)
    environment = {
        **os.environ,
        "PROACTIVE_DATABASE_URL": sqlite_store.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
        "PROACTIVE_NOTIFY__SMS__SENDER": "twilio",
        "PROACTIVE_NOTIFY__SMS__ACCOUNT_SID": SANDBOX_ACCOUNT_SID,
        "PROACTIVE_NOTIFY__SMS__AUTH_TOKEN": SANDBOX_AUTH_TOKEN,
        "PROACTIVE_NOTIFY__SMS__FROM_NUMBER": SENDER,
        "PROACTIVE_NOTIFY__SMS__API_BASE_URL": gateway,
        "PROACTIVE_NOTIFY__SMS__SEND_HOURS": "00:00-23:59",  # whatever the wall clock says
        "PROACTIVE_NOTIFY__SMS__REST_DAY_HOURS": "00:00-23:59",
        "PROACTIVE_NOTIFY__SMS__TIMEOUT_SECONDS": "1",
    }
    command = [str(Path(sys.executable).parent / "proactive"), "notify", "send"]
    crashed = subprocess.run(command, env={**environment, "PROACTIVE_FAILPOINT": "after_sms_send"}, check=False)
    assert crashed.returncode == 75
    assert [row["status"] for row in outbox(sqlite_store)] == ["sending"]
    assert len(at_gateway(gateway, mobile)) == 1  # the provider has it; we never recorded that
    time.sleep(6.5)  # the reconciliation grace: the provider's timeout plus five seconds, as the service waits
    again = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    assert "reconciled: had been sent 1" in again.stdout
    assert len(at_gateway(gateway, mobile)) == 1
    assert outbox(sqlite_store)[0]["provider_sid"] == at_gateway(gateway, mobile)[0].sid
