"""What the operator and the demo read from the outbox: notices by event, channel and status, one letter by its
verification code, the SMS the provider has yet to report on, and the holders invited by SMS to authorise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, func, select

from ground.cases.lifecycle import State
from ground.events import Event
from ground.store.reads import stored_moment
from ground.store.tables import cases, notifications, ratings
from notifications.outbox import Status

# Accepted by the provider, its delivery report still to come.
IN_FLIGHT = (Status.QUEUED.value, Status.ACCEPTED.value, Status.SENT.value)


@dataclass(frozen=True)
class OutboxCount:
    event: Event
    channel: str
    status: str
    notices: int


def outbox_counts(connection: Connection) -> list[OutboxCount]:
    """How many notices there are of each event, channel and status, in that order."""
    columns = (notifications.c.event, notifications.c.channel, notifications.c.status)
    query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
    return [OutboxCount(Event(event), channel, status, n) for event, channel, status, n in connection.execute(query)]


@dataclass(frozen=True)
class IssuedLetter:
    id: int
    event: Event
    addressee: str
    status: str
    printed_at: datetime | None
    batch: str | None


def letter_by_code(connection: Connection, code: str) -> IssuedLetter | None:
    """The letter printed with this verification code (as people type it: any case, spaces around), or None."""
    query = select(
        notifications.c.id,
        notifications.c.event,
        notifications.c.address,
        notifications.c.status,
        notifications.c.sent_at,
        notifications.c.batch,
    ).where(notifications.c.verification_code == code.strip().upper())
    row = connection.execute(query).first()
    if row is None:
        return None
    printed_at = None if row.sent_at is None else stored_moment(row.sent_at)
    return IssuedLetter(
        row.id, Event(row.event), (row.address or {}).get("name", ""), row.status, printed_at, row.batch
    )


def in_flight(connection: Connection) -> int:
    """How many SMS the provider has accepted and not yet reported delivered or failed."""
    query = select(func.count()).where(notifications.c.status.in_(IN_FLIGHT))
    return int(connection.execute(query).scalar_one())


def sent_samples(connection: Connection) -> dict[Event, str]:
    """One SMS body of each event that went to the provider, as it was sent."""
    query = (
        select(notifications.c.event, func.min(notifications.c.body))
        .where(notifications.c.channel == "sms", notifications.c.provider_sid.is_not(None))
        .group_by(notifications.c.event)
    )
    return {Event(event): body for event, body in connection.execute(query)}


class Invitation(NamedTuple):
    case_id: int
    mobile: str


def consent_invitations_by_sms(connection: Connection) -> list[Invitation]:
    """The holders whose invitation to authorise a renewal went by SMS and who have not answered, by case."""
    query = (
        select(cases.c.id, notifications.c.recipient)
        .join(notifications, notifications.c.case_id == cases.c.id)
        .where(
            cases.c.state == State.AWAITING_CONSENT.value,
            notifications.c.event == Event.CONSENT_REQUEST.value,
            notifications.c.provider_sid.is_not(None),
        )
        .order_by(cases.c.id)
    )
    return [Invitation(int(case_id), str(mobile)) for case_id, mobile in connection.execute(query)]


@dataclass(frozen=True)
class CaseMessage:
    """One notice about a case, as the holder got it (or why not)."""

    event: Event
    channel: str
    recipient: str | None
    body: str | None  # an SMS exactly as sent; a letter's is its printed file
    status: str
    error: str | None
    due_at: datetime
    sent_at: datetime | None


def case_messages(connection: Connection, case_id: int) -> list[CaseMessage]:
    """Every SMS and letter about the case, in the order they were planned."""
    query = (
        select(
            notifications.c.event,
            notifications.c.channel,
            notifications.c.recipient,
            notifications.c.body,
            notifications.c.status,
            notifications.c.error,
            notifications.c.due_at,
            notifications.c.sent_at,
        )
        .where(notifications.c.case_id == case_id)
        .order_by(notifications.c.id)
    )
    return [
        CaseMessage(
            **{
                **row,
                "event": Event(row["event"]),
                "due_at": stored_moment(row["due_at"]),
                "sent_at": row["sent_at"] and stored_moment(row["sent_at"]),
            }
        )
        for row in connection.execute(query).mappings()
    ]


def rating_invitations_by_sms(connection: Connection) -> list[Invitation]:
    """The finished cases whose holder was invited by SMS to rate them and has not rated yet, by case."""
    query = (
        select(notifications.c.case_id, notifications.c.recipient)
        .outerjoin(ratings, (ratings.c.case_id == notifications.c.case_id) & ratings.c.grade.is_not(None))
        .where(
            notifications.c.event == Event.RATING_INVITATION.value,
            notifications.c.provider_sid.is_not(None),
            ratings.c.id.is_(None),
        )
        .order_by(notifications.c.case_id)
    )
    return [Invitation(int(case_id), str(mobile)) for case_id, mobile in connection.execute(query)]
