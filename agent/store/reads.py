"""Bulk reads shared by the scan and the classifier: a query's rows as a pandas frame, at the driver's own cost."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, String, cast

BATCH_ROWS = 200_000


def query_frame(
    connection: Connection, query: Select[Any], dates: list[str], batch_rows: int = BATCH_ROWS
) -> pd.DataFrame:
    """A query's rows as a frame, with its date columns as datetimes (the scan compares them vectorised).

    The rows come straight from the driver's cursor (no SQLAlchemy row objects), dates travel as ISO text, and
    pandas types the columns from the tuples: at millions of rows these are most of a read's cost. The rows are
    typed a batch at a time, so only one batch's Python objects are alive at once (they take several times the
    room of the typed columns).
    """
    query = query.with_only_columns(
        *(cast(c, String).label(c.name) if c.name in dates else c for c in query.selected_columns)
    )
    columns = list(query.selected_columns.keys())
    batches = [
        pd.DataFrame.from_records(rows, columns=columns) for rows in driver_batches(connection, query, batch_rows)
    ] or [pd.DataFrame.from_records([], columns=columns)]
    frame = batches[0] if len(batches) == 1 else pd.concat(batches, ignore_index=True)
    if len(batches) > 1:
        for name in frame.select_dtypes(include="object").columns:
            # A batch with no value in a column types it as objects: typed again over all its values, as one
            # batch of them all would have been.
            frame[name] = pd.Series(frame[name].tolist())
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def driver_batches(connection: Connection, query: Select[Any], batch_rows: int) -> Iterator[Sequence[Any]]:
    """Execute a query and fetch plain tuples from the DBAPI cursor, a batch at a time, skipping SQLAlchemy's row
    objects and result processing (so booleans arrive as the driver gives them, dates as the ISO text
    `query_frame` asks for)."""
    result = connection.execute(query)
    try:
        while rows := result.cursor.fetchmany(batch_rows):
            yield rows
    finally:
        result.close()
