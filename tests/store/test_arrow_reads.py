"""Reads of a SQLite file through Arrow in child processes make the very frames the in-process read makes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from ground.store.arrow_reads import ArrowReadError, read_arrow
from ground.store.reads import Read, query_frame, query_frames
from ground.store.tables import cases, licence_events, subjects
from tests.store.test_reads import EVENT_COLUMNS, SUBJECT_COLUMNS, add_events, add_subjects

EVENTS = select(*(licence_events.c[name] for name in EVENT_COLUMNS))
SUBJECTS = select(*(subjects.c[name] for name in SUBJECT_COLUMNS))


def test_arrow_reads_equal_the_in_process_reads_even_with_empty_first_rows(sqlite_store: Engine) -> None:
    # The first ten rows leave licence, severity, detail, numbers, dates and flags empty: read naively, the driver
    # would type those columns as integers from them and refuse the text after.
    add_events(sqlite_store)
    add_subjects(sqlite_store)

    with sqlite_store.connect() as connection:
        frames = query_frames(
            connection, {"events": Read(EVENTS, ["occurred_on"]), "subjects": Read(SUBJECTS, ["registered_on"])}
        )
        events = query_frame(connection, EVENTS, ["occurred_on"])
        subject_rows = query_frame(connection, SUBJECTS, ["registered_on"])

    pd.testing.assert_frame_equal(frames["events"], events)
    pd.testing.assert_frame_equal(frames["subjects"], subject_rows)
    assert frames["events"]["licence_no"].notna().sum() == 20


@pytest.mark.parametrize("parts", [2, 3, 7, 40])  # more parts than rows: some are empty
def test_a_read_split_by_key_ranges_equals_one_read(sqlite_store: Engine, parts: int) -> None:
    add_events(sqlite_store)

    with sqlite_store.connect() as connection:
        whole = query_frame(connection, EVENTS, ["occurred_on"])
        split = query_frames(connection, {"events": Read(EVENTS, ["occurred_on"], licence_events.c.id)}, parts)

    pd.testing.assert_frame_equal(split["events"], whole)


def test_no_rows_make_an_empty_frame_with_the_query_columns(sqlite_store: Engine) -> None:
    with sqlite_store.connect() as connection:
        frames = query_frames(connection, {"events": Read(EVENTS, ["occurred_on"], licence_events.c.id)})

    assert frames["events"].empty and list(frames["events"].columns) == list(EVENT_COLUMNS)


def test_a_column_with_no_arrow_type_is_refused_by_name(sqlite_store: Engine) -> None:
    with pytest.raises(ArrowReadError, match="cases: column created_at"):
        read_arrow(Path("unused.db"), {"cases": select(cases.c.id, cases.c.created_at)})


def test_a_failed_read_names_the_query(tmp_path: Path) -> None:
    with pytest.raises(ArrowReadError, match="events: the reading process failed"):
        read_arrow(tmp_path / "no-such.db", {"events": select(licence_events.c.licence_no)})
