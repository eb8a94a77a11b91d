"""Reading the registry history the classifier needs out of the store: everything, or only what some licences need."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, or_, select

from agent.scan.run import query_frame
from agent.store.tables import licence_events, licences, subjects
from models.features import History

LICENCE_COLUMNS = ("licence_no", "subject_key", "licence_type", "type_label", "valid_from", "status", "mobile")
SUBJECT_COLUMNS = (
    "subject_key",
    "kind",
    "township",
    "employees",
    "revenue_10k_yuan",
    "registered_on",
    "status",
    "serious_violation_list",
    "mobile",
)
EVENT_COLUMNS = ("licence_no", "subject_key", "kind", "occurred_on", "outcome", "severity", "detail")


def read_history(connection: Connection, licence_nos: Select[Any] | None = None) -> History:
    """The history of every licence, or of the licences a subquery selects (and of their subjects)."""
    licence_query = select(*(licences.c[name] for name in LICENCE_COLUMNS))
    subject_query = select(*(subjects.c[name] for name in SUBJECT_COLUMNS))
    event_query = select(*(licence_events.c[name] for name in EVENT_COLUMNS))
    if licence_nos is not None:
        wanted = licence_nos.scalar_subquery()
        subject_keys = select(licences.c.subject_key).where(licences.c.licence_no.in_(wanted)).scalar_subquery()
        licence_query = licence_query.where(licences.c.licence_no.in_(wanted))
        subject_query = subject_query.where(subjects.c.subject_key.in_(subject_keys))
        event_query = event_query.where(
            or_(
                licence_events.c.licence_no.in_(wanted),
                licence_events.c.licence_no.is_(None) & licence_events.c.subject_key.in_(subject_keys),
            )
        )
    return History(
        licences=query_frame(connection, licence_query, dates=["valid_from"]),
        subjects=query_frame(connection, subject_query, dates=["registered_on"]),
        events=query_frame(connection, event_query, dates=["occurred_on"]),
    )
