"""Opening the store: one engine per database URL, migrated to the newest schema before use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.engine import ExceptionContext

from ground.settings import ENV_PREFIX

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SETTING = f"{ENV_PREFIX}DATABASE_URL"
READ_ONLY_SQLSTATE = "25006"  # PostgreSQL: read_only_sql_transaction (a standby, or a read-only role/database)


class StoreUnavailable(RuntimeError):
    """The store cannot be used where the settings put it. The message is one line for the operator and never
    shows a password."""


def create_store_engine(url: str, default: bool = False) -> Engine:
    """An engine for `url`. A SQLite file gets WAL mode and foreign keys, and its folder when it is the `default`
    one, in the working folder (an explicit URL naming a folder that is not there is a mistake, not a place to start
    an empty store)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
    else:
        _check_folder(parsed, default)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _tune_sqlite)
    event.listen(engine, "handle_error", _name_read_only)
    return engine


def _check_folder(url: URL, default: bool) -> None:
    database = url.database or ":memory:"
    if database == ":memory:":
        return
    folder = Path(database.removeprefix("file:") if url.query.get("uri") else database).parent
    if folder.is_dir():
        return
    if not default:
        raise StoreUnavailable(f"{SETTING}: the SQLite database's folder {folder} does not exist")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"cannot create the database folder {folder}: {exc.strerror}") from exc


def read_only_fault(error: BaseException, url: URL) -> StoreUnavailable | None:
    """A write refused because the database is read-only, as one line naming the database; None for any other
    error, which is left as it is."""
    original = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    read_only = "readonly database" in str(original) or getattr(original, "sqlstate", None) == READ_ONLY_SQLSTATE
    if not read_only:
        return None
    where = url.render_as_string(hide_password=True)
    return StoreUnavailable(f"the database {where} is read-only: {str(original).splitlines()[0]}")


@contextmanager
def faults_named(url: URL) -> Iterator[None]:
    """For writes made on the driver's own connection, which SQLAlchemy's error handling never sees."""
    try:
        yield
    except Exception as exc:
        fault = read_only_fault(exc, url)
        if fault is None:
            raise
        raise fault from exc


def _name_read_only(context: ExceptionContext) -> Exception | None:
    return read_only_fault(context.original_exception, context.engine.url) if context.engine else None


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the console read while a scan writes; NORMAL sync is safe with WAL and much faster.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    command.upgrade(alembic_config(engine), "head")


def open_store(url: str, default: bool = False) -> Engine:
    engine = create_store_engine(url, default)
    migrate(engine)
    return engine
