"""SMS held back, untouched, to a later due time: outside the sending hours, or over a recipient's daily cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from notifications import outbox
from notifications.notifier import Notifier
from notifications.outbox import Status


def over_cap(engine: Engine, notifier: Notifier, mobile: str, now: datetime) -> bool:
    local = now.astimezone(notifier.zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    with engine.connect() as connection:
        return outbox.sent_today(connection, mobile, midnight) >= notifier.settings.sms.daily_cap


def hold(engine: Engine, ids: list[int], notifier: Notifier, local: datetime, now: datetime) -> int:
    """Make the messages due when sending next opens after `local`; how many were still waiting to be held."""
    opening = notifier.hours.next_opening(local).astimezone(UTC)
    held = 0
    with engine.begin() as connection:
        for message_id in ids:
            held += outbox.move(connection, message_id, Status.CREATED, now, due_at=opening)
    return held


def hold_until_tomorrow(engine: Engine, message_id: int, notifier: Notifier, now: datetime) -> int:
    local = now.astimezone(notifier.zone)
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return hold(engine, [message_id], notifier, tomorrow, now)
