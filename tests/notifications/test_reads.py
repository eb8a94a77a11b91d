"""What the operator and the demo read from the outbox, on a day's real notices: counts, the SMS in flight and
their bodies, the holders invited to authorise, a letter by its code; and an opt-out taken back."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, update

from ground.events import Event
from ground.store.tables import notifications
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from notifications.notifier import Notifier
from notifications.outbox import add_opt_out, remove_opt_out
from notifications.reads import (
    Invitation,
    consent_invitations_by_sms,
    in_flight,
    letter_by_code,
    outbox_counts,
    sent_samples,
)
from tests.notifications.conftest import MOBILE, NOON, TODAY, CaseMaker, ScriptedSender


def a_days_notices(store: Engine, notifier: Notifier, add_case: CaseMaker) -> dict[str, int]:
    """A renewal started (SMS), one waiting for materials from a holder with no mobile (letter), and an
    invitation to authorise (SMS); the SMS sent."""
    cases = {
        "started": add_case("prefilled", "seamless", application_no="SQ1"),
        "letter": add_case("routed", "assisted", mobile=None),
        "invited": add_case("awaiting_consent", "seamless", consent_deadline=date(2026, 12, 2)),
    }
    enqueue_due(store, notifier, TODAY, NOON)
    dispatch(store, notifier, ScriptedSender(), NOON)
    return cases


def test_the_outbox_by_event_channel_and_status(store: Engine, notifier: Notifier, add_case: CaseMaker) -> None:
    a_days_notices(store, notifier, add_case)
    with store.connect() as connection:
        counts = [(c.event, c.channel, c.status, c.notices) for c in outbox_counts(connection)]
        assert in_flight(connection) == 2  # the provider has both SMS, their delivery still to be reported
        samples = sent_samples(connection)
    assert counts == [
        (Event.CONSENT_REQUEST, "sms", "queued", 1),
        (Event.SEAMLESS_STARTED, "sms", "queued", 1),
        (Event.SUPPLY_MATERIALS, "letter", "created", 1),
    ]
    assert set(samples) == {Event.CONSENT_REQUEST, Event.SEAMLESS_STARTED} and "SQ1" in samples[Event.SEAMLESS_STARTED]


def test_the_holders_invited_by_sms(store: Engine, notifier: Notifier, add_case: CaseMaker) -> None:
    cases = a_days_notices(store, notifier, add_case)
    with store.connect() as connection:
        assert consent_invitations_by_sms(connection) == [Invitation(cases["invited"], MOBILE)]


def test_a_letter_is_found_by_its_code_as_people_type_it(
    store: Engine, notifier: Notifier, add_case: CaseMaker
) -> None:
    a_days_notices(store, notifier, add_case)
    with store.begin() as connection:
        connection.execute(
            update(notifications)
            .where(notifications.c.channel == "letter")
            .values(verification_code="ABCD2345EF", batch="2026-11-25", status="printed", sent_at=NOON)
        )
    with store.connect() as connection:
        letter = letter_by_code(connection, " abcd2345ef ")
        assert letter_by_code(connection, "ABCD2345EG") is None
    assert letter is not None and (letter.event, letter.status, letter.batch) == (
        Event.SUPPLY_MATERIALS,
        "printed",
        "2026-11-25",
    )
    assert letter.addressee.endswith("餐饮店") and letter.printed_at == NOON


def test_an_opt_out_taken_back_once(store: Engine) -> None:
    add_opt_out(store, MOBILE, "operator", "asked by phone", NOON)
    assert remove_opt_out(store, MOBILE) is True
    assert remove_opt_out(store, MOBILE) is False
