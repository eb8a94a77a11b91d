"""Shared fixtures: a migrated store on SQLite and on PostgreSQL, the real exports, the licence types."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import kombu
import pytest
import redis
from sqlalchemy import Engine, create_engine, make_url, text

from domain.licence_types import LicenceType, load_licence_types
from ground.store import open_store
from ground.store.job_runs import JOB_STORE_TABLE
from ground.store.tables import metadata

REPO = Path(__file__).resolve().parent.parent
REAL_DATA = REPO.parent / "shared" / "data" / "real"
POSTGRES_URL = os.environ.get("PROACTIVE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("PROACTIVE_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_URL = os.environ.get("PROACTIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# How many times slower than a quiet machine a run may be (two shared cores, other suites running): every limit a test
# puts on a wait — a process, a server, a browser page, a callback — is scaled by it, so a slow run is never a failure.
TIME_SCALE = float(os.environ.get("PROACTIVE_TEST_TIME_SCALE", "4"))


def patient(seconds: float) -> float:
    """A limit of `seconds` on a quiet machine, as long as this run allows (`PROACTIVE_TEST_TIME_SCALE`)."""
    return seconds * TIME_SCALE


@pytest.fixture(scope="session")
def licence_types() -> dict[str, LicenceType]:
    return load_licence_types()


@pytest.fixture(scope="session")
def real_data() -> Path:
    assert REAL_DATA.is_dir(), f"the real registry exports are expected at {REAL_DATA}"
    return REAL_DATA


def postgres_database(worker: str) -> str:
    """A database of this test worker's own on the PostgreSQL server, created once, migrated to head."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    # Named after the server URL's database too, so two checkouts testing at once (each given its own URL) never
    # share a database.
    name = f"proactive_{make_url(POSTGRES_URL).database}_{worker}"
    try:
        with admin.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and is not reachable at {POSTGRES_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    finally:
        admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def required(server: str, url: str, check: Callable[[], object]) -> str:
    """`url`, once `check` reached the server; under CI a server that is missing fails the test, elsewhere skips it."""
    try:
        check()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{server} is required under CI and is not reachable at {url}: {exc}")
        pytest.skip(f"{server} not reachable at {url}")
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    return required("Redis", REDIS_URL, lambda: redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping())


@pytest.fixture(scope="session")
def broker_url() -> str:
    def reach() -> None:
        with kombu.Connection(BROKER_URL, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1)

    return required("RabbitMQ", BROKER_URL, reach)


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    url = postgres_database(worker_id)
    engine = create_engine(url)
    with engine.begin() as connection:  # start every session from an empty schema
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store; every test using it runs on both databases."""
    if request.param == "sqlite":
        engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    else:
        engine = open_store(request.getfixturevalue("postgres_url"))
        with engine.begin() as connection:
            names = ", ".join(table.name for table in metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            connection.execute(text(f"DROP TABLE IF EXISTS {JOB_STORE_TABLE}"))  # the scheduler's, made as it starts
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Engine]:
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield engine
    engine.dispose()
