"""Reading the registry history the classifier needs out of the store: everything, or only what some licences need."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, Table, and_, case, or_, select

from ground.store.reads import Read, query_frames
from ground.store.tables import licence_events, licences, subjects
from models.categories import CATEGORIES, RULE_KINDS, category_column, open_penalty_column
from models.config import HistoryWords
from models.feature_file import YEAR, FeatureFile, Kind
from models.features import History, attribute_column, shipped_features

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
FACTS_WINDOW_DAYS = 5 * YEAR  # the reasons' facts (the latest failed inspection, penalty) look 5 years back
PLAIN_WINDOW_DAYS = 3 * YEAR  # the window up to which passed inspections and plain complaints may be left unread
LEAP_ROOM = 2  # days added to a window read from the store, so that no leap day cuts it short
_WINDOWED = {c for c, kind in zip(CATEGORIES, RULE_KINDS, strict=True) if kind not in WHOLE_PAST_KINDS}
_PLAIN = {"inspection_passed", "complaint"}
EVENT_PARTS = 2  # on SQLite the events are read in this many id ranges at once, one per core of these machines
READ_PARTS = EVENT_PARTS + 2  # and licences and subjects beside them


def read_history(
    connection: Connection,
    words: HistoryWords,
    licence_nos: Select[Any] | None = None,
    spec: FeatureFile | None = None,
) -> History:
    """The whole history of every licence, or of the licences a subquery selects (and of their subjects), with each
    event's kind and outcome as well: training takes its labels from them."""
    events = licence_events.c
    spec = spec or shipped_features()
    query = select(*_event_columns(words, spec), events.kind, events.outcome)
    return _read(connection, query, licence_nos, spec)


def read_scoring_history(
    connection: Connection,
    as_of: date,
    words: HistoryWords,
    licence_nos: Select[Any] | None = None,
    spec: FeatureFile | None = None,
    small: bool = False,
) -> History:
    """What scoring on one date needs: only the events that can count on that date (of a `small` number of
    licences: read in this process, see `query_frames`)."""
    spec = spec or shipped_features()
    return _read(connection, scoring_events_query(as_of, words, spec), licence_nos, spec, small)


def _read(
    connection: Connection,
    event_query: Select[Any],
    licence_nos: Select[Any] | None,
    spec: FeatureFile,
    small: bool = False,
) -> History:
    """Events, licences and subjects in one read (at once, on a SQLite file, unless `small`); the events, by far
    the most rows, are split by id between processes and come first."""
    frames = query_frames(
        connection,
        {
            "events": Read(_of_licences(event_query, licence_nos), ["occurred_on"], split_by=licence_events.c.id),
            "licences": Read(_licences_query(licence_nos, spec), ["valid_from"]),
            "subjects": Read(_subjects_query(licence_nos, spec), ["registered_on"]),
        },
        parts=EVENT_PARTS,
        small=small,
    )
    return History(licences=frames["licences"], subjects=frames["subjects"], events=frames["events"])


def scoring_events_query(as_of: date, words: HistoryWords, spec: FeatureFile) -> Select[Any]:
    """The events that can count on `as_of` under the feature file. A million licences' history is mostly
    inspections: with the shipped features a passed inspection (or a complaint not upheld) counts only for 3 years,
    and nothing but the whole-past kinds counts beyond 5."""
    events = licence_events.c
    query = select(*_event_columns(words, spec))
    lookback = max(_longest_window(spec, _WINDOWED), FACTS_WINDOW_DAYS)
    if lookback < float("inf"):
        query = query.where(_within(as_of - timedelta(days=math.ceil(lookback) + LEAP_ROOM)))
    if _longest_window(spec, _PLAIN) <= PLAIN_WINDOW_DAYS:
        noted = [*words.inspection.failed, *words.inspection.partly, *words.complaint.upheld]
        uncounted = and_(
            events.kind.in_(["inspection", "complaint"]),
            events.occurred_on < as_of - timedelta(days=3 * 366 + 1),
            or_(events.outcome.is_(None), events.outcome.not_in(noted)),
        )
        query = query.where(~uncounted)
    return query


def _longest_window(spec: FeatureFile, categories: set[str]) -> float:
    """The longest window over which any feature looks at events of these categories (0: none does)."""
    return max((f.window_days for f in spec.features if categories & set(f.chosen_categories)), default=0.0)


def _within(since: date) -> Any:
    return (licence_events.c.occurred_on >= since) | licence_events.c.kind.in_(WHOLE_PAST_KINDS)


def _licences_query(licence_nos: Select[Any] | None, spec: FeatureFile) -> Select[Any]:
    query = select(*_record_columns(licences, LICENCE_COLUMNS, spec))
    return query if licence_nos is None else query.where(licences.c.licence_no.in_(licence_nos.scalar_subquery()))


def _subjects_query(licence_nos: Select[Any] | None, spec: FeatureFile) -> Select[Any]:
    query = select(*_record_columns(subjects, SUBJECT_COLUMNS, spec))
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


def _event_columns(words: HistoryWords, spec: FeatureFile) -> list[Any]:
    """What the features need of each event: whose it is, its category, its day, whether an open penalty, and the
    typed attributes the feature file reads. The subject is given only for an event that names no licence (such as
    an abnormal-operation listing)."""
    events = licence_events.c
    return [
        events.licence_no,
        case((events.licence_no.is_(None), events.subject_key)).label("subject_key"),
        category_column(words),
        events.occurred_on,
        open_penalty_column(words),
        *_attributes(licence_events, spec.attributes.events),
    ]


def _record_columns(table: Table, always: tuple[str, ...], spec: FeatureFile) -> list[Any]:
    """A licence's or subject's columns the features always need, those the feature file names, and the typed
    attributes it declares."""
    whose = table.name.removesuffix("s")
    named = {
        f.column
        for f in spec.features
        if f.column and f.kind in (Kind.LICENCE, Kind.SUBJECT, Kind.YEARS_SINCE) and (f.of or str(f.kind)) == whose
    }
    named |= {name.partition(".")[2] for f in spec.features for name in f.columns if name.startswith(whose + ".")}
    declared = getattr(spec.attributes, table.name)
    return [*(table.c[name] for name in (*always, *sorted(named - set(always)))), *_attributes(table, declared)]


def _attributes(table: Table, declared: Mapping[str, str]) -> list[Any]:
    """Typed attributes out of the JSON column, typed by the database: numbers as numbers, the rest as text."""
    column = table.c.attributes
    return [
        (column[name].as_float() if kind == "number" else column[name].as_string()).label(attribute_column(name))
        for name, kind in declared.items()
    ]
