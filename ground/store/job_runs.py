"""The scheduled jobs' run records, and the scheduler's own job store beside them in the same database.

A run's row is written before its work starts and closed whatever happens (`agent.jobs.recorded_run`), so an
operator can tell from these rows alone whether the unattended service is doing its work (`proactive status`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    MetaData,
    RowMapping,
    String,
    Table,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from ground.store.db import StoreUnavailable
from ground.store.reads import stored_moment
from ground.store.tables import job_runs

# APScheduler's SQLAlchemy job store: its table is its own (it creates it on start), named here so the service
# and the readers of its next run times agree. Only the two columns read here are described.
JOB_STORE_TABLE = "apscheduler_jobs"
_job_store = Table(JOB_STORE_TABLE, MetaData(), Column("id", String), Column("next_run_time", Float))


class RunStatus(StrEnum):
    RUNNING = "running"  # started, not yet closed (or its process died before closing it)
    OK = "ok"
    DEGRADED = "degraded"  # done, but part of the work was left out; the warnings name it
    FAILED = "failed"  # ended by an error, which is kept
    INTERRUPTED = "interrupted"  # stopped between two steps (the service was told to stop)


@dataclass(frozen=True)
class JobRunRow:
    job_id: str
    started_at: datetime
    finished_at: datetime | None
    status: RunStatus
    counts: dict[str, Any]  # per step, as the job counted it (JSON)
    warnings: list[str]
    error: str | None


HOLDS = "holds"  # in a running run's counts: the locks it holds (`agent.jobs.recorded_run`)
INTERRUPTED_BY_TAKEOVER = "its scheduler stopped while it ran (machine or connection lost); the standby took over"
DIED_HOLDING = "its process died while it ran (a worker killed or lost); the next run holding its locks closed it"


def start_run(engine: Engine, job_id: str, now: datetime, holds: tuple[str, ...] = ()) -> int:
    """Record that a run of `job_id` started, holding the locks named in `holds`; returns the run's id, for
    `finish_run`."""
    counts = {HOLDS: list(holds)} if holds else None
    with engine.begin() as connection:
        inserted = connection.execute(
            job_runs.insert().values(job_id=job_id, started_at=now, status=RunStatus.RUNNING.value, counts=counts)
        )
        return int(inserted.inserted_primary_key[0])  # type: ignore[index]


def close_runs_of_the_dead(engine: Engine, job_id: str, holds: tuple[str, ...], now: datetime) -> int:
    """Runs of `job_id` still recorded as running that held only locks among `holds`, which the caller holds now:
    their process died without closing them (the database released its locks). Closed as interrupted; how many."""
    with engine.begin() as connection:
        running = connection.execute(
            select(job_runs.c.id, job_runs.c.counts).where(
                job_runs.c.job_id == job_id, job_runs.c.status == RunStatus.RUNNING.value
            )
        ).all()
        dead = [row.id for row in running if set((row.counts or {}).get(HOLDS) or [None]) <= set(holds)]
        return _interrupt(connection, dead, now, DIED_HOLDING)


def close_runs_left_running(engine: Engine, now: datetime) -> int:
    """Runs recorded as running when the scheduler lock was free: their scheduler died mid-run. Their work resumes
    safely on its own (claims and the outbox), but the record must not claim they are still at it. A run that holds
    locks of its own is a worker's, which may well be alive: the next run holding its locks closes it if it died
    (`close_runs_of_the_dead`)."""
    with engine.begin() as connection:
        running = connection.execute(
            select(job_runs.c.id, job_runs.c.counts).where(job_runs.c.status == RunStatus.RUNNING.value)
        ).all()
        schedulers = [row.id for row in running if not (row.counts or {}).get(HOLDS)]
        return _interrupt(connection, schedulers, now, INTERRUPTED_BY_TAKEOVER)


def _interrupt(connection: Connection, run_ids: list[int], now: datetime, why: str) -> int:
    """Close these runs as interrupted, saying why; how many."""
    if run_ids:
        connection.execute(
            update(job_runs)
            .where(job_runs.c.id.in_(run_ids))
            .values(status=RunStatus.INTERRUPTED.value, finished_at=now, error=why)
        )
    return len(run_ids)


def finish_run(
    engine: Engine,
    run_id: int,
    now: datetime,
    status: RunStatus,
    counts: dict[str, Any],
    warnings: list[str],
    error: str | None,
) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(job_runs)
            .where(job_runs.c.id == run_id)
            .values(finished_at=now, status=status.value, counts=counts, warnings=warnings, error=error)
        )


def last_runs(connection: Connection, status: RunStatus | None = None, first: bool = False) -> dict[str, JobRunRow]:
    """Each job's latest run (of `status`, if given; its earliest with `first`), by job id. Ids grow with the
    start, so the greatest is the latest."""
    latest = select(func.min(job_runs.c.id) if first else func.max(job_runs.c.id))
    if status is not None:
        latest = latest.where(job_runs.c.status == status.value)
    query = select(job_runs).where(job_runs.c.id.in_(latest.group_by(job_runs.c.job_id)))
    return {row.job_id: _run(row._mapping) for row in connection.execute(query)}


def _run(row: RowMapping) -> JobRunRow:
    return JobRunRow(
        job_id=row["job_id"],
        started_at=stored_moment(row["started_at"]),
        finished_at=None if row["finished_at"] is None else stored_moment(row["finished_at"]),
        status=RunStatus(row["status"]),
        counts=row["counts"] or {},
        warnings=row["warnings"] or [],
        error=row["error"],
    )


def next_run_times(connection: Connection) -> dict[str, datetime | None]:
    """Each job in the scheduler's job store with its next run time (None: paused); empty when the service has
    never started on this database (the store's table is made on its first start)."""
    if not inspect(connection).has_table(JOB_STORE_TABLE):
        return {}
    rows = connection.execute(select(_job_store.c.id, _job_store.c.next_run_time))
    return {job_id: None if at is None else datetime.fromtimestamp(at, UTC) for job_id, at in rows}


def run_counts(connection: Connection) -> list[tuple[str, str, int]]:
    """How many runs each job has of each outcome, in that order."""
    columns = (job_runs.c.job_id, job_runs.c.status)
    query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
    return [(job_id, status, count) for job_id, status, count in connection.execute(query)]


def unreachable(engine: Callable[[], Engine]) -> str | None:
    """None if the store answers (`engine` opens it, the first time); else the error's class name only (a driver's
    message can name the host and the user)."""
    try:
        with engine().connect() as connection:
            connection.execute(select(1))
    except (SQLAlchemyError, StoreUnavailable) as exc:
        return exc.__class__.__name__
    return None
