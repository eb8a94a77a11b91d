"""What becomes of a message once its fate is known: taken by the provider (and the holder told, which may close
the case), or refused for good (and a letter sent in its place)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, select

from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.events import Event
from ground.store.tables import cases, notifications
from ground.store.writes import insert_new
from notifications import outbox
from notifications.enqueue import holders, letter_fields
from notifications.events import SMS_ONLY
from notifications.notifier import Notifier
from notifications.outbox import Status
from notifications.senders.base import Accepted

# The notice that tells a holder their case is through, and the state it closes: the case is then notified. (A
# renewal is done when its licence is renewed in our records, before its notice goes.)
CLOSING_NOTICES = {Event.SUBSIDY_GRANTED.value: State.PAID}


def accept(engine: Engine, message_id: int, accepted: Accepted, at: datetime) -> None:
    """The provider has the message: record its id and status, and move the case on if the notice says so."""
    with engine.begin() as connection:
        if outbox.move(
            connection,
            message_id,
            Status.SENDING,
            at,
            status=accepted.status,
            provider_sid=accepted.sid,
            sent_at=at,
            error=None,
        ):
            told(connection, message_id, at)


def told(connection: Connection, message_id: int, at: datetime) -> None:
    """The holder has been told their case is through (SMS handed over, or letter printed): it is notified."""
    message = connection.execute(
        select(notifications.c.case_id, notifications.c.event, notifications.c.channel).where(
            notifications.c.id == message_id
        )
    ).one()
    closes = CLOSING_NOTICES.get(message.event)
    if closes is None or message.case_id is None:
        return
    state = connection.execute(select(cases.c.state).where(cases.c.id == message.case_id)).scalar_one()
    if state == closes.value:
        move_case(connection, message.case_id, State.NOTIFIED, f"holder told by {message.channel}", "notify", at)


def reject(
    engine: Engine, notifier: Notifier, message_id: int, expected: Status, reason: str, code: str | None, at: datetime
) -> None:
    """The SMS cannot go: it is closed with the reason and a letter takes its place (same event, same values)."""
    with engine.begin() as connection:
        if outbox.move(connection, message_id, expected, at, status=Status.REJECTED, error=reason, error_code=code):
            fallback_letter(connection, notifier, message_id, reason, at)


def fallback_letter(connection: Connection, notifier: Notifier, message_id: int, reason: str, at: datetime) -> None:
    sms = connection.execute(select(notifications).where(notifications.c.id == message_id)).mappings().one()
    if sms["event"] in SMS_ONLY:  # no letter takes its place (notifications.events.SMS_ONLY says why)
        return
    joined, columns = holders()
    holder = connection.execute(select(*columns).select_from(joined).where(cases.c.id == sms["case_id"])).one()
    letter = {
        "natural_key": f"{sms['natural_key']}:letter",
        "case_id": sms["case_id"],
        "event": sms["event"],
        "context": sms["context"],
        "status": Status.CREATED.value,
        "due_at": at,
        "attempts": 0,
        "fallback_of": message_id,
        "error": reason,
        "created_at": at,
        "updated_at": at,
        **letter_fields(holder.holder_name, holder.address, holder.township),
    }
    connection.execute(insert_new(connection, notifications, "natural_key"), letter)
