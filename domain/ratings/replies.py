"""A holder's reply to the invitation to rate a finished case, recorded: one rating per case, one help for a reply
that could not be read, and a follow-up for a poor rating. Each in the caller's transaction, with its ledger entry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select, update

from domain.ratings.follow_ups import open_follow_up
from domain.ratings.grades import POOR, Grade, parse_grade
from ground.calendar import WorkingDayCalendar
from ground.cases.moves import note_case
from ground.store.tables import ratings
from ground.store.writes import insert_new

ACTOR = "holder"
# How long an invitation awaits its reply: long enough for a holder who reads SMS late, short enough that a reply
# meant for a later question (the next licence's consent) is not taken for a rating or made ambiguous by one.
REPLY_WINDOW = timedelta(days=15)


def answer_invitation(
    connection: Connection,
    case_id: int,
    number: str,
    body: str,
    calendar: WorkingDayCalendar,
    zone: ZoneInfo,
    at: datetime,
) -> str:
    """Apply a reply routed to this case's rating invitation; returns what happened, for the log and the tests."""
    grade = parse_grade(body)
    if grade is None:
        return _unreadable(connection, case_id, number, body, at)
    if not _rate(connection, case_id, number, grade, body, at):
        return already_rated(case_id)
    reason = f"rated {grade.value} {grade.label} (SMS reply {body.strip()!r})"
    note_case(connection, case_id, reason, ACTOR, at, details={"grade": grade.value})
    if grade not in POOR:
        return f"rated {grade.value}"
    due_on = open_follow_up(connection, case_id, calendar, at.astimezone(zone).date(), at)
    return f"rated {grade.value}: follow-up due {due_on}"


def already_rated(case_id: int) -> str:
    return f"ignored: case {case_id} is already rated"


def _rate(connection: Connection, case_id: int, number: str, grade: Grade, body: str, at: datetime) -> bool:
    """Set the case's grade unless it has one: True if this call set it (two replies at once rate it once)."""
    graded = {"grade": grade.value, "reply": body, "rated_at": at}
    if _first_reply(connection, case_id, number, at, **graded):
        return True
    changed = connection.execute(
        update(ratings).where(ratings.c.case_id == case_id, ratings.c.grade.is_(None)).values(**graded)
    )
    return changed.rowcount == 1


def _unreadable(connection: Connection, case_id: int, number: str, body: str, at: datetime) -> str:
    """The first reply that cannot be read earns one help SMS (planned from `unreadable_at`); any later one gets
    nothing, so a holder and the help can never answer each other in a loop."""
    if not _first_reply(connection, case_id, number, at, reply=body, unreadable_at=at):
        graded = connection.execute(select(ratings.c.grade).where(ratings.c.case_id == case_id)).scalar_one()
        return already_rated(case_id) if graded else "ignored: unreadable again (one help only)"
    note_case(connection, case_id, f"rating reply {body.strip()!r} could not be read: one help SMS", ACTOR, at)
    return "unreadable: help SMS"


def _first_reply(connection: Connection, case_id: int, number: str, at: datetime, **values: Any) -> bool:
    """Record the case's first reply to its invitation; False when one is recorded already."""
    row = {"case_id": case_id, "mobile": number, "channel": "sms", "created_at": at, **values}
    statement = insert_new(connection, ratings, "case_id").returning(ratings.c.id)
    return connection.execute(statement, row).first() is not None
