"""The SQLite file every sandbox stand-in keeps: WAL, a busy timeout, foreign keys, its tables created."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; only a power cut may lose the last commits
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_sqlite_engine(path: Path) -> Engine:
    """An engine on the file (its folder is created); usable from any thread of the server."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_sessions(path: Path, metadata: MetaData) -> sessionmaker[Session]:
    """Create (or open) the file and the tables; sessions never expire objects on commit."""
    engine = open_sqlite_engine(path)
    metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)
