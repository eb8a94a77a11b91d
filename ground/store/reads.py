"""Bulk reads shared by the scan and the classifier: a query's rows as a pandas frame, at the driver's own cost."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Column, Connection, Select, String, cast, func, select

from ground.store.arrow_reads import read_arrow, sqlite_file

BATCH_ROWS = 200_000
DATE_UNIT = "us"  # what pandas makes of ISO dates


def query_frame(
    connection: Connection, query: Select[Any], dates: list[str], batch_rows: int = BATCH_ROWS
) -> pd.DataFrame:
    """A query's rows as a frame, with its date columns as datetimes (the scan compares them vectorised).

    The rows come straight from the driver's cursor (no SQLAlchemy row objects), dates travel as ISO text, and
    pandas types the columns from the tuples: at millions of rows these are most of a read's cost. The rows are
    typed a batch at a time, so only one batch's Python objects are alive at once (they take several times the
    room of the typed columns).
    """
    query = _dates_as_text(query, dates)
    columns = list(query.selected_columns.keys())
    batches = [
        pd.DataFrame.from_records(rows, columns=columns) for rows in driver_batches(connection, query, batch_rows)
    ] or [pd.DataFrame.from_records([], columns=columns)]
    frame = batches[0] if len(batches) == 1 else _concat(batches)
    return _typed_dates(frame, dates)


@dataclass(frozen=True)
class Read:
    """One query of a `query_frames` read: its date columns, and a numeric key (such as the table's id) by whose
    ranges a large read may be split between processes."""

    query: Select[Any]
    dates: list[str]
    split_by: Column[Any] | None = None


def query_frames(
    connection: Connection, reads: Mapping[str, Read], parts: int = 1, small: bool = False
) -> dict[str, pd.DataFrame]:
    """Several queries' frames, as `query_frame` gives them. On a SQLite file they are read as Arrow by child
    processes at once (see `ground.store.arrow_reads`), a split read in `parts` key ranges: they see what is
    committed, not this connection's open transaction. Elsewhere, or when the caller knows the read is `small`
    (each child costs most of a CPU second to start: more than a few thousand rows cost to read here), they are
    read here, one after the other."""
    path = None if small else sqlite_file(connection)
    if path is None:
        return {name: query_frame(connection, read.query, read.dates) for name, read in reads.items()}
    split = {name: _split(connection, read, parts) for name, read in reads.items()}
    tables = read_arrow(
        path, {f"{name} {i}": query for name, queries in split.items() for i, query in enumerate(queries)}
    )
    return {
        name: _arrow_dates(
            pa.concat_tables(tables[f"{name} {i}"] for i in range(len(split[name]))), read.dates
        ).to_pandas()
        for name, read in reads.items()
    }


def _split(connection: Connection, read: Read, parts: int) -> list[Select[Any]]:
    """The read's query, or its parts: `parts` ranges of about equal width of the split key's values."""
    query = _dates_as_text(read.query, read.dates)
    key = read.split_by
    if key is None:
        return [query]
    # Apart: SQLite finds the least or the greatest key in its index at once, but both together by a whole scan.
    low = connection.execute(select(func.min(key))).scalar()
    high = connection.execute(select(func.max(key))).scalar()
    if low is None:
        return [query]
    width = (high - low) // parts + 1
    return [query.where(key.between(low + i * width, low + (i + 1) * width - 1)) for i in range(parts)]


def _dates_as_text(query: Select[Any], dates: list[str]) -> Select[Any]:
    return query.with_only_columns(
        *(cast(c, String).label(c.name) if c.name in dates else c for c in query.selected_columns)
    )


def _arrow_dates(table: pa.Table, dates: list[str]) -> pa.Table:
    """The date columns' ISO text as the datetimes `_typed_dates` makes, parsed by Arrow (several times faster)."""
    for name in dates:
        at = table.schema.get_field_index(name)
        table = table.set_column(at, name, pc.cast(table.column(at), pa.timestamp(DATE_UNIT)))
    return table


def _typed_dates(frame: pd.DataFrame, dates: list[str]) -> pd.DataFrame:
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def _concat(batches: list[pd.DataFrame]) -> pd.DataFrame:
    """The batches as one frame, typed as one batch of all the rows would be. A batch in which a column has no
    value types it as objects; it takes the type the other batches give the column instead (numbers with gaps are
    floats), so a column of text with some empty batches stays text rather than becoming objects."""
    for name in batches[0].columns:
        empty = [batch for batch in batches if batch[name].isna().all()]
        typed = {batch[name].dtype for batch in batches if not batch[name].isna().all()}
        if not empty or not typed:
            continue
        if all(pd.api.types.is_integer_dtype(t) or pd.api.types.is_float_dtype(t) for t in typed):
            common: Any = "float64"
        elif len(typed) == 1 and isinstance(only := next(iter(typed)), pd.StringDtype):
            common = only
        else:
            continue  # objects already (booleans with gaps): the batches join as they are
        for batch in empty:
            batch[name] = batch[name].astype(common)
    return pd.concat(batches, ignore_index=True)


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


def stored_moment(moment: datetime) -> datetime:
    """A moment read back from the store, with its offset: every stored moment is UTC, and SQLite hands it back
    without one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
