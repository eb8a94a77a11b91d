"""The ratings and their follow-ups as staff read them: the open follow-ups with their deadlines, and every rating
with its case and holder for the export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, FromClause, func, select

from ground.store.tables import cases, licences, rating_follow_ups, ratings, subjects

HOLDER = func.coalesce(licences.c.holder_name, subjects.c.name).label("holder_name")  # a licence's, or a subject's


def _rated_cases() -> FromClause:
    """Ratings with their case, the case's holder (a renewal's licence holder, a subsidy's subject) and follow-up."""
    return (
        ratings.join(cases, cases.c.id == ratings.c.case_id)
        .outerjoin(licences, licences.c.licence_no == cases.c.licence_no)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .outerjoin(rating_follow_ups, rating_follow_ups.c.rating_id == ratings.c.id)
    )


def open_follow_ups(connection: Connection) -> list[dict[str, Any]]:
    """Follow-ups with no call-back recorded yet, the nearest deadline first."""
    query = (
        select(
            rating_follow_ups.c.id,
            rating_follow_ups.c.case_id,
            HOLDER,
            rating_follow_ups.c.township,
            rating_follow_ups.c.officer,
            ratings.c.grade,
            ratings.c.rated_at,
            rating_follow_ups.c.due_on,
        )
        .select_from(_rated_cases())
        .where(rating_follow_ups.c.called_back_at.is_(None))
        .order_by(rating_follow_ups.c.due_on, rating_follow_ups.c.id)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def rated(connection: Connection) -> list[dict[str, Any]]:
    """Every rating given (not the unreadable replies), oldest first, with what the export says of it."""
    query = (
        select(
            ratings.c.id,
            ratings.c.grade,
            ratings.c.mobile,
            ratings.c.channel,
            ratings.c.rated_at,
            cases.c.kind,
            cases.c.natural_key,
            cases.c.licence_type,
            cases.c.licence_no,
            cases.c.application_no,
            cases.c.trace,
            HOLDER,
            subjects.c.township,
            rating_follow_ups.c.due_on,
            rating_follow_ups.c.called_back_at,
            rating_follow_ups.c.callback_note,
            rating_follow_ups.c.rectification,
        )
        .select_from(_rated_cases())
        .where(ratings.c.grade.is_not(None))
        .order_by(ratings.c.rated_at, ratings.c.id)
    )
    return [dict(row) for row in connection.execute(query).mappings()]
