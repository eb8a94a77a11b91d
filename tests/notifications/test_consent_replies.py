"""The holder's answer to the invitation to authorise a renewal, through the real webhook path: signed replies in
the forms phones send them move the case; nothing else does."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from domain.renewals.answers import Answer
from domain.renewals.consent import parse_answer
from ground.store.tables import cases, notifications
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from tests.notifications.conftest import MOBILE, NOON, TODAY, CaseMaker, ScriptedSender, make_notifier
from tests.notifications.test_webhooks import client, signed

__all__ = ["client"]  # the webhooks app, signed as the provider signs
DEADLINE = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        ("1", Answer.GIVEN),
        ("１", Answer.GIVEN),
        (" 1。", Answer.GIVEN),
        ("同意", Answer.GIVEN),
        ("2", Answer.CHANGED),
        ("２", Answer.CHANGED),
        ("有变化", Answer.CHANGED),
        ("3", None),
        ("12", None),
        ("好的谢谢", None),
        ("", None),
    ],
)
def test_a_reply_is_understood_in_the_forms_phones_send_it(body: str, answer: Answer | None) -> None:
    assert parse_answer(body) is answer


def invited(store: Engine, tmp_path: Path, add_case: CaseMaker, count: int = 1) -> list[int]:
    """Cases awaiting consent whose invitation SMS went to MOBILE."""
    ids = [add_case("awaiting_consent", "seamless", consent_deadline=DEADLINE) for _ in range(count)]
    notifier = make_notifier(tmp_path)
    enqueue_due(store, notifier, TODAY, NOON)
    dispatch(store, notifier, ScriptedSender(), NOON)
    with store.connect() as connection:
        sent = connection.execute(select(notifications.c.event, notifications.c.body)).all()
    assert [event for event, _ in sent] == ["consent_request"] * count
    assert "回复1" in sent[0].body and "回复2" in sent[0].body and "12月2日" in sent[0].body
    return ids


def reply(client: TestClient, body: str, message_sid: str | None = None) -> None:
    """A signed reply from MOBILE; each is a new message unless `message_sid` repeats one."""
    form = {"From": MOBILE, "Body": body, "MessageSid": message_sid or f"SM{uuid4().hex}"}
    response = client.post("/sms/inbound", data=form, headers=signed("/sms/inbound", form))
    assert response.status_code == 200


def case(store: Engine, case_id: int) -> tuple[str, str, str | None]:
    with store.connect() as connection:
        row = connection.execute(select(cases.c.state, cases.c.route, cases.c.consent).where(cases.c.id == case_id))
        state, route, consent = row.one()
    return state, route, consent


def test_a_signed_reply_1_in_full_width_authorises_the_renewal(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker
) -> None:
    [case_id] = invited(store, tmp_path, add_case)
    reply(client, "１")
    assert case(store, case_id) == ("consented", "seamless", "given")


def test_a_reply_2_sends_the_case_to_a_person_and_asks_for_what_is_needed(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker
) -> None:
    [case_id] = invited(store, tmp_path, add_case)
    reply(client, "2")
    assert case(store, case_id) == ("routed", "assisted", "changed")
    enqueue_due(store, make_notifier(tmp_path), TODAY, NOON)
    with store.connect() as connection:
        events = connection.execute(select(notifications.c.event).order_by(notifications.c.id)).scalars().all()
    assert events == ["consent_request", "supply_materials"]


def test_an_unsigned_or_unknown_reply_changes_nothing(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker
) -> None:
    [case_id] = invited(store, tmp_path, add_case)
    client.post("/sms/inbound", data={"From": MOBILE, "Body": "1"})  # no signature: refused
    reply(client, "你们是谁")
    assert case(store, case_id) == ("awaiting_consent", "seamless", None)


def test_an_old_reply_replayed_to_a_later_invitation_does_not_give_consent(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker
) -> None:
    old = f"SM{uuid4().hex}"
    reply(client, "1", old)  # nothing awaited consent then
    [case_id] = invited(store, tmp_path, add_case)
    reply(client, "1", old)  # the same signed request, sent again
    assert case(store, case_id) == ("awaiting_consent", "seamless", None)


def test_one_reply_for_two_licences_of_one_holder_is_left_to_a_person(
    client: TestClient, store: Engine, tmp_path: Path, add_case: CaseMaker
) -> None:
    first, second = invited(store, tmp_path, add_case, count=2)
    reply(client, "1")
    assert case(store, first)[0] == case(store, second)[0] == "awaiting_consent"
