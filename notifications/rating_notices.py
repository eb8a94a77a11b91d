"""The 好差评 notices, decided from the store: the invitation to rate a finished case, once the holder has been told
by SMS that it is done, and one help after a reply to it that could not be read. Each goes to the mobile our last
SMS about the case went to or came from, by SMS only (`notifications.events.SMS_ONLY`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, select

from domain.ratings.replies import REPLY_WINDOW
from ground.cases.lifecycle import State
from ground.events import Event
from ground.store.tables import cases, notifications, ratings
from notifications.notifier import Notifier
from notifications.planning import Due, natural_key

# The notices that tell a holder their case is through, and the states the case is then in.
DONE_NOTICES = (Event.RENEWED.value, Event.SUBSIDY_GRANTED.value)
DONE_STATES = (State.DONE, State.NOTIFIED)
INVITE_AFTER = timedelta(hours=2)  # the result is read first: two SMS at once read as one muddle
INVITE_WITHIN = timedelta(days=7)  # a case finished longer ago is not asked about (after an outage, a deployment)

DueFor = tuple[Due, dict[str, Any]]  # the notice and whom it goes to


def rating_dues(connection: Connection, notifier: Notifier, now: datetime) -> list[DueFor]:
    bureau = notifier.settings.bureau.model_dump()
    return _invitations(connection, bureau, now) + _helps(connection, bureau, now)


def matter(event: str, told: dict[str, Any]) -> str:
    """What was done, as the invitation names it, from the values the done notice was sent with."""
    if event == Event.SUBSIDY_GRANTED.value:
        return f"您单位的{told['policy_title']}（{told['period']}）资金拨付"
    return f"您的{told['licence_type_label']}（{told['licence_no']}）延续"


def _invitations(connection: Connection, bureau: dict[str, Any], now: datetime) -> list[DueFor]:
    query = (
        select(notifications.c.case_id, notifications.c.event, notifications.c.recipient, notifications.c.context)
        .join(cases, cases.c.id == notifications.c.case_id)
        .outerjoin(ratings, ratings.c.case_id == notifications.c.case_id)
        .where(
            notifications.c.event.in_(DONE_NOTICES),
            notifications.c.channel == "sms",
            notifications.c.sent_at.between(now - INVITE_WITHIN, now - INVITE_AFTER),
            cases.c.state.in_(DONE_STATES),
            ratings.c.grade.is_(None),
        )
    )
    return [
        _due(
            row.case_id,
            Event.RATING_INVITATION,
            row.recipient,
            {"holder_name": row.context["holder_name"], "bureau": bureau, "matter": matter(row.event, row.context)},
        )
        for row in connection.execute(query)
    ]


def _helps(connection: Connection, bureau: dict[str, Any], now: datetime) -> list[DueFor]:
    invitation = and_(
        notifications.c.case_id == ratings.c.case_id,
        notifications.c.event == Event.RATING_INVITATION.value,
        notifications.c.channel == "sms",
    )
    query = (
        select(ratings.c.case_id, ratings.c.mobile, notifications.c.context)
        .join(notifications, invitation)
        .where(ratings.c.grade.is_(None), ratings.c.unreadable_at >= now - REPLY_WINDOW)
    )
    return [
        _due(row.case_id, Event.RATING_HELP, row.mobile, {"holder_name": row.context["holder_name"], "bureau": bureau})
        for row in connection.execute(query)
    ]


def _due(case_id: int, event: Event, mobile: str, context: dict[str, Any]) -> DueFor:
    due = Due(case_id, event, natural_key(case_id, event, ""), context)
    return due, {"mobile": mobile, "holder_name": context["holder_name"]}
