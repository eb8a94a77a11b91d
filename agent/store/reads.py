"""Bulk reads shared by the scan and the classifier: a query's rows as a pandas frame, at the driver's own cost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, String, cast


def query_frame(connection: Connection, query: Select[Any], dates: list[str]) -> pd.DataFrame:
    """A query's rows as a frame, with its date columns as datetimes (the scan compares them vectorised).

    The rows come straight from the driver's cursor (no SQLAlchemy row objects), dates travel as ISO text, and
    pandas types the columns from the tuples in one pass: at millions of rows these are most of a read's cost.
    """
    query = query.with_only_columns(
        *(cast(c, String).label(c.name) if c.name in dates else c for c in query.selected_columns)
    )
    frame = pd.DataFrame.from_records(driver_rows(connection, query), columns=list(query.selected_columns.keys()))
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def driver_rows(connection: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """Execute a query and fetch plain tuples from the DBAPI cursor, skipping SQLAlchemy's row objects and result
    processing (so booleans arrive as the driver gives them, dates as the ISO text `query_frame` asks for)."""
    result = connection.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def stored_moment(moment: datetime) -> datetime:
    """A moment read back from the store, with its offset: every stored moment is UTC, and SQLite hands it back
    without one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
