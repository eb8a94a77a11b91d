"""Bulk writes shared by the loaders and the scan: frames in, rows out, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Column, Connection, Date, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from ground.store.db import faults_named

BATCH = 20_000
T = TypeVar("T")


def insert_frame(
    connection: Connection,
    table: Table,
    frame: pd.DataFrame,
    constants: dict[str, Any] | None = None,
    skip_existing: bool = False,
) -> None:
    """Append a frame's rows (plus the same `constants` on each) to a table in one bulk operation.

    COPY on PostgreSQL and a plain executemany of tuples on SQLite: per-row parameter dicts cost more than the
    database's own work at a million rows. Values go through the column types' own bind processing, so they are
    stored exactly as a normal SQLAlchemy insert would store them. With `skip_existing`, a row whose unique key
    is already there is left out instead of failing the insert.
    """
    constants = constants or {}
    names = [*frame.columns, *constants]
    fixed = [_driver_values(connection, table.c[n], pd.Series([v], dtype=object))[0] for n, v in constants.items()]
    # Rows become Python tuples a batch at a time: a million at once would cost gigabytes of small objects.
    chunks = (
        zip(*(_driver_values(connection, table.c[n], frame[n].iloc[i : i + BATCH]) for n in frame.columns), strict=True)
        for i in range(0, len(frame), BATCH)
    )
    rows = ((*values, *fixed) for chunk in chunks for values in chunk)
    with faults_named(connection.engine.url):
        _bulk_insert(connection, table, names, rows, skip_existing)


def _bulk_insert(
    connection: Connection, table: Table, names: list[str], rows: Iterator[tuple[Any, ...]], skip_existing: bool
) -> None:
    if connection.dialect.name == "postgresql":
        _copy(connection, table, names, rows, skip_existing)
        return
    quote = connection.dialect.identifier_preparer.quote
    verb = "INSERT OR IGNORE" if skip_existing else "INSERT"
    statement = (
        f"{verb} INTO {quote(table.name)} ({', '.join(map(quote, names))}) VALUES ({', '.join('?' * len(names))})"
    )
    driver = connection.connection.driver_connection
    driver.executemany(statement, rows)  # type: ignore[union-attr]  # sqlite3 consumes the iterator as it goes


def _driver_values(connection: Connection, column: Column[Any], values: pd.Series) -> list[Any]:
    """A column of values as the driver takes them: None for missing, dates as ISO text, JSON serialised."""
    iso_dates = isinstance(column.type, Date) and pd.api.types.is_datetime64_any_dtype(values)
    if iso_dates:  # ISO text is SQLite's storage format for dates and PostgreSQL's input format, and is vectorised
        values = values.dt.strftime("%Y-%m-%d").where(values.notna())
    plain: list[Any] = values.astype(object).where(values.notna(), None).tolist()
    if iso_dates:
        return plain
    process = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return plain if process is None else [process(value) for value in plain]


def _copy(
    connection: Connection, table: Table, names: list[str], rows: Iterator[tuple[Any, ...]], skip_existing: bool
) -> None:
    """COPY the rows in; to skip existing keys, COPY into a scratch table first (COPY itself cannot skip)."""
    from psycopg import sql  # optional: the PostgreSQL driver; a SQLite store never loads it (nor does SQLAlchemy)

    columns = sql.SQL(", ").join(map(sql.Identifier, names))
    target = sql.Identifier(f"_incoming_{table.name}" if skip_existing else table.name)
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor:  # type: ignore[union-attr]
        if skip_existing:
            cursor.execute(
                sql.SQL("CREATE TEMPORARY TABLE {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP").format(
                    target, sql.Identifier(table.name)
                )
            )
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, columns)) as copy:
            for row in rows:
                copy.write_row(row)
        if skip_existing:
            cursor.execute(
                sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT DO NOTHING").format(
                    sql.Identifier(table.name), columns, columns, target
                )
            )
            cursor.execute(sql.SQL("DROP TABLE {}").format(target))


def records(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict[str, Any]]:
    """Rows as dicts for the driver: missing values become None, datetimes become dates."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.date
        out[column] = values.astype(object).where(values.notna(), None)
    return out.to_dict("records")  # type: ignore[return-value]


def batches(rows: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def upsert(connection: Connection, table: Table, key: str, update: Iterable[str]) -> Insert:
    """INSERT that, for a row whose `key` is already there, updates the `update` columns instead."""
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = dialect_insert(table)
    return statement.on_conflict_do_update(
        index_elements=[key], set_={name: statement.excluded[name] for name in update}
    )


def insert_new(connection: Connection, table: Table, key: str) -> Insert:
    """INSERT that skips a row whose `key` is already there (a natural key: re-running adds nothing)."""
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=[key])


def execute_in_batches(connection: Connection, statement: Any, rows: list[dict[str, Any]]) -> int:
    """Execute a statement for every row, a batch at a time; how many rows it changed in all."""
    return sum(connection.execute(statement, batch).rowcount for batch in batches(rows))
