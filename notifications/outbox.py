"""The outbox table's moves. Every change is a compare-and-set on the row's status, so two runs (or a run and a
late status callback) can never both act on one message."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update

from ground.store.tables import notifications, sms_inbound, sms_opt_outs
from ground.store.writes import insert_new
from notifications.sms import Sms


class Status(StrEnum):
    CREATED = "created"  # recorded, waiting for its due time
    SENDING = "sending"  # claimed: the provider call may have happened (reconcile before repeating)
    QUEUED = "queued"  # the provider accepted it (Twilio's statuses from here on)
    ACCEPTED = "accepted"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    REJECTED = "rejected"  # refused for good before the provider took it; a letter replaces it
    CANCELLED = "cancelled"  # no longer wanted (the case moved on before it went)
    PRINTING = "printing"  # letter: claimed by a print run (settled from its manifest after a crash)
    PRINTED = "printed"  # letter: in a day's print batch
    REFUSED = "refused"  # letter: bad address or too long; the operator must act


# A notice's status as staff read it (the provider's intermediate statuses all mean it has gone out).
STATUS_WORDS = {
    Status.CREATED: "待发送",
    Status.SENDING: "发送中",
    Status.QUEUED: "已发送",
    Status.ACCEPTED: "已发送",
    Status.SENT: "已发送",
    Status.DELIVERED: "已送达",
    Status.UNDELIVERED: "未送达",
    Status.FAILED: "未送达",
    Status.REJECTED: "未发出",
    Status.CANCELLED: "已取消",
    Status.PRINTING: "打印中",
    Status.PRINTED: "已打印",
    Status.REFUSED: "未能打印",
}

PROVIDER = frozenset({Status.QUEUED, Status.ACCEPTED, Status.SENT, Status.DELIVERED, Status.UNDELIVERED, Status.FAILED})
# Provider statuses only move forward: a late "sent" callback must not undo "delivered".
ORDER = {
    Status.ACCEPTED: 0,
    Status.QUEUED: 0,
    Status.SENT: 1,
    Status.DELIVERED: 2,
    Status.UNDELIVERED: 2,
    Status.FAILED: 2,
}
DELIVERY_FAILED = frozenset({Status.UNDELIVERED, Status.FAILED})
KEYS_AT_ONCE = 10_000  # bounded IN lists (SQLite allows 32,766 parameters a statement)


def staff_sms(
    natural_key: str, case_id: int | None, recipient: str, context: dict[str, Any], sms: Sms, now: datetime
) -> dict[str, Any]:
    """An outbox row for an SMS to staff (a chase, an operator's alert): due at once, no letter behind it."""
    return {
        "natural_key": natural_key,
        "case_id": case_id,
        "event": sms.event.value,
        "channel": "sms",
        "recipient": recipient,
        "context": context,
        "body": sms.body,
        "template_id": sms.template_id,
        "segments": sms.cost.segments,
        "status": Status.CREATED.value,
        "due_at": now,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def record(engine: Engine, rows: list[dict[str, Any]]) -> int:
    """Insert the messages whose natural key is new; returns how many were. Re-running adds nothing."""
    if not rows:
        return 0
    with engine.begin() as connection:
        before = connection.execute(select(func.count()).select_from(notifications)).scalar_one()
        connection.execute(insert_new(connection, notifications, "natural_key"), rows)
        return int(connection.execute(select(func.count()).select_from(notifications)).scalar_one() - before)


def move(
    connection: Connection, message_id: int, expected: Status | frozenset[Status], at: datetime, **values: Any
) -> bool:
    """Set `values` on the message if it is still in `expected`; True if this call made the change."""
    allowed = [expected] if isinstance(expected, Status) else list(expected)
    statement = (
        update(notifications)
        .where(notifications.c.id == message_id, notifications.c.status.in_(allowed))
        .values(updated_at=at, **values)
    )
    return connection.execute(statement).rowcount == 1


def claim(engine: Engine, message_id: int, at: datetime) -> bool:
    """Take a `created` message for sending (committed before the provider is called)."""
    with engine.begin() as connection:
        return move(
            connection,
            message_id,
            Status.CREATED,
            at,
            status=Status.SENDING,
            claimed_at=at,
            attempts=notifications.c.attempts + 1,
        )


def recorded_keys(connection: Connection, keys: list[str]) -> set[str]:
    """The natural keys among `keys` already in the outbox (whatever became of their messages)."""
    found: set[str] = set()
    for start in range(0, len(keys), KEYS_AT_ONCE):
        chunk = keys[start : start + KEYS_AT_ONCE]
        found.update(
            connection.execute(
                select(notifications.c.natural_key).where(notifications.c.natural_key.in_(chunk))
            ).scalars()
        )
    return found


def opted_out(connection: Connection, mobiles: list[str]) -> set[str]:
    if not mobiles:
        return set()
    query = select(sms_opt_outs.c.mobile).where(sms_opt_outs.c.mobile.in_(mobiles))
    return set(connection.execute(query).scalars())


def add_opt_out(engine: Engine, mobile: str, source: str, detail: str, at: datetime) -> bool:
    """Record that `mobile` wants no more SMS; False if it had already said so."""
    with engine.begin() as connection:
        return opt_out(connection, mobile, source, detail, at)


def opt_out(connection: Connection, mobile: str, source: str, detail: str, at: datetime) -> bool:
    """`add_opt_out` inside the caller's transaction. RETURNING tells whether the row went in: on PostgreSQL
    (psycopg) this insert's rowcount is -1 whatever happened."""
    statement = insert_new(connection, sms_opt_outs, "mobile").returning(sms_opt_outs.c.mobile)
    values = {"mobile": mobile, "source": source, "detail": detail, "at": at}
    return connection.execute(statement, values).first() is not None


def remove_opt_out(engine: Engine, mobile: str) -> bool:
    """SMS to `mobile` again (the holder asked for them); False if it had not opted out."""
    with engine.begin() as connection:
        return bool(connection.execute(delete(sms_opt_outs).where(sms_opt_outs.c.mobile == mobile)).rowcount)


def first_inbound(connection: Connection, message_sid: str, at: datetime) -> bool:
    """Record an inbound message id; False if it was recorded before (the provider retried it, or someone replays
    it). In the transaction that acts on the message, so the action and the record stand or fall together."""
    statement = insert_new(connection, sms_inbound, "message_sid").returning(sms_inbound.c.message_sid)
    return connection.execute(statement, {"message_sid": message_sid, "at": at}).first() is not None


def sent_today(connection: Connection, mobile: str, since: datetime) -> int:
    query = select(func.count()).where(notifications.c.recipient == mobile, notifications.c.sent_at >= since)
    return int(connection.execute(query).scalar_one())
