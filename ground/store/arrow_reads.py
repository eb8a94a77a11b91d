"""Bulk reads of a SQLite store as Arrow tables, each query in a child process of its own.

Python's sqlite3 hands a read over one Python object per value, and at millions of rows that is most of a read's
time; the ADBC SQLite driver builds Arrow columns in C for about a third of the CPU. The driver links its own copy
of SQLite, and two copies of SQLite in one process release each other's POSIX locks
(https://sqlite.org/howtocorrupt.html, section 2.2.1), so it only ever runs in child processes. That also puts the
queries of one read on separate cores at once. A child is a plain script run by the same interpreter
(`arrow_child.py`), which hands its table back as an Arrow IPC file that is mapped, not copied, here.

A child opens the file read-only: it sees what is committed, never the calling connection's open transaction.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Boolean, Connection, Float, Integer, Numeric, Select, String, literal, select, union_all
from sqlalchemy.dialects import sqlite

CHILD = Path(__file__).with_name("arrow_child.py")


class ArrowReadError(RuntimeError):
    """A query the Arrow path cannot read (a column of no fixed type, a failed child); the message says which."""


def sqlite_file(connection: Connection) -> Path | None:
    """The database file behind a SQLite connection; None for another database or one in memory."""
    url = connection.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve()


def read_arrow(path: Path, queries: Mapping[str, Select[Any]]) -> dict[str, pa.Table]:
    """Each query's rows as an Arrow table, every query in a child process of its own, all at once."""
    with tempfile.TemporaryDirectory(prefix="arrow-read-") as scratch:
        folder = Path(scratch)
        children = {}
        for i, (name, query) in enumerate(queries.items()):
            sql, out = folder / f"{i}.sql", folder / f"{i}.arrow"
            sql.write_text(_with_type_row(name, query), encoding="utf-8")
            command = [sys.executable, str(CHILD), path.as_uri(), str(sql), str(out)]
            children[name] = (subprocess.Popen(command, stderr=subprocess.PIPE), out)
        try:
            return {name: _collected(name, child, out) for name, (child, out) in children.items()}
        finally:  # one failed: the others are not left running
            for child, _ in children.values():
                if child.poll() is None:
                    child.kill()
                    child.wait()


def _collected(name: str, child: subprocess.Popen[bytes], out: Path) -> pa.Table:
    _, errors = child.communicate()
    if child.returncode:
        last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise ArrowReadError(f"{name}: the reading process failed ({child.returncode}): {last[0]}")
    # Mapped, not read: the table's buffers keep the mapping (and so the removed file's pages) alive.
    return _without_type_row(name, pa.ipc.open_file(pa.memory_map(str(out))).read_all())


def _with_type_row(name: str, query: Select[Any]) -> str:
    """The query's SQL, after one row of typed stand-in values. The driver types a column by the first values it
    meets: a column with none in the first batch would be typed as integers, then refused at its first text."""
    first = select(*(_stand_in(name, column).label(column.name) for column in query.selected_columns))
    statement = union_all(first, query)
    return str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def _stand_in(name: str, column: Any) -> Any:
    kind = column.type
    if isinstance(kind, Boolean | Integer):  # SQLite keeps booleans as 0 and 1
        return literal(0)
    if isinstance(kind, Float | Numeric):
        return literal(0.5)
    if isinstance(kind, String):
        return literal("")
    raise ArrowReadError(f"{name}: column {column.name} ({kind}) has no Arrow type to read it as")


def _without_type_row(name: str, table: pa.Table) -> pa.Table:
    # SQLite returns a UNION ALL's parts in order; were that ever not so, the read must fail, not lose a row.
    if table.num_rows == 0 or any(table.column(i)[0].as_py() not in ("", 0, 0.5) for i in range(table.num_columns)):
        raise ArrowReadError(f"{name}: the typed first row did not come first")
    return table.slice(1)
