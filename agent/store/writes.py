"""Bulk writes shared by the loaders and the scan: frames in, rows out, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

BATCH = 20_000


def records(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict[str, Any]]:
    """Rows as dicts for the driver: missing values become None, datetimes become dates."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.date
        out[column] = values.astype(object).where(values.notna(), None)
    return out.to_dict("records")  # type: ignore[return-value]


def batches(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def insert_ignoring(connection: Connection, table: Table) -> Insert:
    """INSERT that leaves alone a row whose unique key is already there (both dialects)."""
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    return dialect_insert(table).on_conflict_do_nothing()


def upsert(connection: Connection, table: Table, key: str, update: Iterable[str]) -> Insert:
    """INSERT that, for a row whose `key` is already there, updates the `update` columns instead."""
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = dialect_insert(table)
    return statement.on_conflict_do_update(
        index_elements=[key], set_={name: statement.excluded[name] for name in update}
    )


def execute_in_batches(connection: Connection, statement: Any, rows: list[dict[str, Any]]) -> None:
    for batch in batches(rows):
        connection.execute(statement, batch)
