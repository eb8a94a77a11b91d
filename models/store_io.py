"""Reading the registry history the classifier needs out of the store: everything, or only what some licences need."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, case, or_, select

from ground.store.reads import Read, query_frames
from ground.store.tables import licence_events, licences, subjects
from models.categories import category_column, open_penalty_column
from models.config import HistoryWords
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
EVENT_PARTS = 2  # on SQLite the events are read in this many id ranges at once, one per core of these machines
READ_PARTS = EVENT_PARTS + 2  # and licences and subjects beside them


def read_history(connection: Connection, words: HistoryWords, licence_nos: Select[Any] | None = None) -> History:
    """The whole history of every licence, or of the licences a subquery selects (and of their subjects), with each
    event's kind and outcome as well: training takes its labels from them."""
    events = licence_events.c
    return _read(connection, select(*_event_columns(words), events.kind, events.outcome), licence_nos)


def read_scoring_history(
    connection: Connection,
    as_of: date,
    words: HistoryWords,
    licence_nos: Select[Any] | None = None,
    small: bool = False,
) -> History:
    """What scoring on one date needs: only the events that can count on that date (of a `small` number of
    licences: read in this process, see `query_frames`)."""
    return _read(connection, scoring_events_query(as_of, words), licence_nos, small)


def _read(
    connection: Connection, event_query: Select[Any], licence_nos: Select[Any] | None, small: bool = False
) -> History:
    """Events, licences and subjects in one read (at once, on a SQLite file, unless `small`); the events, by far
    the most rows, are split by id between processes and come first."""
    frames = query_frames(
        connection,
        {
            "events": Read(_of_licences(event_query, licence_nos), ["occurred_on"], split_by=licence_events.c.id),
            "licences": Read(_licences_query(licence_nos), ["valid_from"]),
            "subjects": Read(_subjects_query(licence_nos), ["registered_on"]),
        },
        parts=EVENT_PARTS,
        small=small,
    )
    return History(licences=frames["licences"], subjects=frames["subjects"], events=frames["events"])


def scoring_events_query(as_of: date, words: HistoryWords) -> Select[Any]:
    """The events that can count on `as_of`. A million licences' history is mostly inspections, and a passed
    inspection (or a complaint not upheld) counts only for 3 years."""
    events = licence_events.c
    noted = [*words.inspection.failed, *words.inspection.partly, *words.complaint.upheld]
    uncounted = and_(
        events.kind.in_(["inspection", "complaint"]),
        events.occurred_on < as_of - timedelta(days=3 * 366 + 1),
        or_(events.outcome.is_(None), events.outcome.not_in(noted)),
    )
    return select(*_event_columns(words)).where(_within(as_of - timedelta(days=LOOKBACK_DAYS)), ~uncounted)


def _within(since: date) -> Any:
    return (licence_events.c.occurred_on >= since) | licence_events.c.kind.in_(WHOLE_PAST_KINDS)


def _licences_query(licence_nos: Select[Any] | None) -> Select[Any]:
    query = select(*(licences.c[name] for name in LICENCE_COLUMNS))
    return query if licence_nos is None else query.where(licences.c.licence_no.in_(licence_nos.scalar_subquery()))


def _subjects_query(licence_nos: Select[Any] | None) -> Select[Any]:
    query = select(*(subjects.c[name] for name in SUBJECT_COLUMNS))
    if licence_nos is None:
        return query
    return query.where(subjects.c.subject_key.in_(_subject_keys(licence_nos.scalar_subquery())))


def _subject_keys(wanted: Any) -> Any:
    return select(licences.c.subject_key).where(licences.c.licence_no.in_(wanted)).scalar_subquery()


def _of_licences(event_query: Select[Any], licence_nos: Select[Any] | None) -> Select[Any]:
    """Events of the selected licences, and of their subjects when an event names no licence."""
    if licence_nos is None:
        return event_query
    wanted = licence_nos.scalar_subquery()
    return event_query.where(
        or_(
            licence_events.c.licence_no.in_(wanted),
            licence_events.c.licence_no.is_(None) & licence_events.c.subject_key.in_(_subject_keys(wanted)),
        )
    )


def _event_columns(words: HistoryWords) -> list[Any]:
    """What the features need of each event: whose it is, its category, its day, and whether an open penalty. The
    subject is given only for an event that names no licence (such as an abnormal-operation listing)."""
    events = licence_events.c
    return [
        events.licence_no,
        case((events.licence_no.is_(None), events.subject_key)).label("subject_key"),
        category_column(words),
        events.occurred_on,
        open_penalty_column(words),
    ]
