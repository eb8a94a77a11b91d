"""Rows read a batch at a time make the very frame one batch of them all makes, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select

from ground.store.reads import query_frame
from ground.store.tables import licence_events, subjects

NOW = datetime(2026, 11, 25, tzinfo=UTC)
ALL_AT_ONCE = 1_000_000


def add_events(store: Engine) -> None:
    """30 events whose detail, severity and licence are empty in the first ten: a batch of those types them as
    objects, the others as text."""
    with store.begin() as connection:
        connection.execute(
            insert(licence_events),
            [
                {
                    "event_key": f"e{i}",
                    "licence_no": f"JY{i:014d}" if i >= 10 else None,
                    "subject_key": f"S{i % 7}",
                    "kind": "registration_change" if i == 25 else "inspection",
                    "occurred_on": date(2020, 1, 1 + i % 28),
                    "outcome": "符合" if i % 2 else None,
                    "severity": "一般" if i >= 10 else None,
                    "detail": "住所变更：旧址→新址" if i == 25 else None,
                    "source": "test",
                }
                for i in range(30)
            ],
        )


def add_subjects(store: Engine) -> None:
    """30 subjects whose numbers, dates and flags are empty in the first ten."""
    with store.begin() as connection:
        connection.execute(
            insert(subjects),
            [
                {
                    "subject_key": f"S{i}",
                    "name": "某某餐馆",
                    "employees": i if i >= 10 else None,
                    "revenue_10k_yuan": 12.5 * i if i >= 10 else None,
                    "registered_on": date(2010, 5, 1) if i >= 10 else None,
                    "status": "active",
                    "serious_violation_list": bool(i % 2) if i >= 10 else None,
                    "source": "test",
                    "row_hash": str(i),
                    "updated_at": NOW,
                }
                for i in range(30)
            ],
        )


EVENT_COLUMNS = ("licence_no", "subject_key", "kind", "occurred_on", "outcome", "severity", "detail")
SUBJECT_COLUMNS = ("subject_key", "employees", "revenue_10k_yuan", "registered_on", "serious_violation_list")


@pytest.mark.parametrize("batch_rows", [1, 7, 10, 29])  # one row; batches across the gaps; a gap alone; a tail
def test_events_read_in_batches_equal_the_events_read_at_once(store: Engine, batch_rows: int) -> None:
    add_events(store)
    query = select(*(licence_events.c[name] for name in EVENT_COLUMNS)).order_by(licence_events.c.id)

    with store.connect() as connection:
        batched = query_frame(connection, query, ["occurred_on"], batch_rows)
        at_once = query_frame(connection, query, ["occurred_on"], ALL_AT_ONCE)

    pd.testing.assert_frame_equal(batched, at_once)


@pytest.mark.parametrize("batch_rows", [1, 10, 29])
def test_subjects_read_in_batches_equal_the_subjects_read_at_once(store: Engine, batch_rows: int) -> None:
    add_subjects(store)
    query = select(*(subjects.c[name] for name in SUBJECT_COLUMNS)).order_by(subjects.c.id)

    with store.connect() as connection:
        batched = query_frame(connection, query, ["registered_on"], batch_rows)
        at_once = query_frame(connection, query, ["registered_on"], ALL_AT_ONCE)

    pd.testing.assert_frame_equal(batched, at_once)


def test_no_rows_make_an_empty_frame_with_the_query_columns(store: Engine) -> None:
    query = select(*(licence_events.c[name] for name in EVENT_COLUMNS))

    with store.connect() as connection:
        frame = query_frame(connection, query, ["occurred_on"], 7)

    assert frame.empty and list(frame.columns) == list(EVENT_COLUMNS)
