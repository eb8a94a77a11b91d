"""Reading the registry history the classifier needs out of the store: everything, or only what some licences need."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, case, or_, select

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
# Kinds whose whole past can count: earlier renewals date the term, changes count from the term's start however
# long ago, a penalty still open blocks whatever its age, and "ever listed" is a feature. The rest (inspections,
# complaints: most of the events) count over windows of at most 5 years.
WHOLE_PAST_KINDS = ("renewal", "registration_change", "penalty", "abnormal_listed", "abnormal_removed")
LOOKBACK_DAYS = 5 * 366 + 1  # the longest window, 5 years, with room for leap days


def read_history(connection: Connection, licence_nos: Select[Any] | None = None, since: date | None = None) -> History:
    """The history of every licence, or of the licences a subquery selects (and of their subjects).

    With `since`, events before it are left out, except the kinds whose whole past matters (earlier renewals, the
    abnormal-operation list): scoring on one date looks back at most a term, and a million licences' full
    history is most of the read.
    """
    licence_query = select(*(licences.c[name] for name in LICENCE_COLUMNS))
    subject_query = select(*(subjects.c[name] for name in SUBJECT_COLUMNS))
    event_query = select(*_event_columns())
    if since is not None:
        event_query = event_query.where(
            (licence_events.c.occurred_on >= since) | licence_events.c.kind.in_(WHOLE_PAST_KINDS)
        )
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


def _event_columns() -> list[Any]:
    """The event columns, each only where the features use it: less text to carry for millions of events."""
    events = licence_events.c
    return [
        events.licence_no,
        case((events.licence_no.is_(None), events.subject_key)).label("subject_key"),
        events.kind,
        events.occurred_on,
        events.outcome,
        events.severity,
        case((events.kind == "registration_change", events.detail)).label("detail"),
    ]
