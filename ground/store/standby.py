"""One scheduler at a time across machines sharing one PostgreSQL database, and a standby that takes over.

The scheduler's right to run is a session advisory lock (`ground.store.locks.LOCK_IDS["serve"]`) held on a
connection of its own. The database frees it the moment that session ends — the process was killed, its machine
died, an operator ended the session — so a standby that asks for it every `poll_seconds` takes over within that
time. The holder asks its connection the same question on the same beat: once the session is gone, its lock is
gone with it, and it must stop scheduling before the standby starts (`Leadership.lost`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ground.store.job_runs import close_runs_left_running
from ground.store.locks import LOCK_IDS

log = logging.getLogger(__name__)
HELD = text(  # the lock's id fits in 32 bits: it is the advisory lock's objid
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :id AND pid = pg_backend_pid()"
)


@dataclass
class Leadership:
    """The held lock: `lost` is set as soon as its session is found gone."""

    lost: threading.Event = field(default_factory=threading.Event)


class StoppedWaiting(Exception):
    """The standby was told to stop before it could lead."""


@contextmanager
def leading(
    engine: Engine,
    poll_seconds: float,
    stop: threading.Event,
    on_lost: Callable[[], None],
    now: Callable[[], datetime],
) -> Iterator[Leadership]:
    """Wait as the standby until this process holds the scheduler lock, close the runs its predecessor left
    running, then hold the lock for the block, checking its session every `poll_seconds`: when the session is gone,
    `on_lost` is called (once) so the caller stops scheduling. PostgreSQL only."""
    connection = _lock_connection(engine, poll_seconds, stop)
    leadership = Leadership()
    watcher = threading.Thread(
        target=_watch, args=(connection, poll_seconds, leadership, on_lost), name="leadership", daemon=True
    )
    try:
        closed = close_runs_left_running(engine, now())
        if closed:
            log.warning("took over the scheduler; %d run(s) left running by the previous one: interrupted", closed)
        watcher.start()
        yield leadership
    finally:
        leadership.lost.set()  # ends the watcher, which alone uses the lock's connection until then
        if watcher.is_alive():
            watcher.join()
        _release(connection)


def _lock_connection(engine: Engine, poll_seconds: float, stop: threading.Event) -> Connection:
    waiting_said = False
    while not stop.is_set():
        connection = engine.connect()
        try:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": LOCK_IDS["serve"]}).scalar()
            connection.commit()
        except DBAPIError as exc:
            connection.close()
            log.warning("standby: the database is unreachable (%s); asking again in %.0f s", exc.orig, poll_seconds)
        else:
            if got:
                log.info("holding the scheduler lock: this process schedules the jobs")
                return connection
            connection.close()
            if not waiting_said:
                log.info("standby: another scheduler holds the lock; asking every %.0f s", poll_seconds)
                waiting_said = True
        stop.wait(poll_seconds)
    raise StoppedWaiting


def _watch(connection: Connection, poll_seconds: float, leadership: Leadership, on_lost: Callable[[], None]) -> None:
    while not leadership.lost.wait(poll_seconds):
        try:
            held = connection.execute(HELD, {"id": LOCK_IDS["serve"]}).scalar()
            connection.commit()
        except DBAPIError as exc:
            log.error("lost the scheduler lock's session (%s): stopping the scheduler", exc.orig)
            held = 0
        if not held:
            leadership.lost.set()
            on_lost()
            return


def _release(connection: Connection) -> None:
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_IDS["serve"]})
        connection.commit()
    except SQLAlchemyError:  # the driver's error, or the dead session's transaction that cannot be rolled back
        log.info("the scheduler lock's session was already gone, and the lock with it")
    finally:
        connection.close()
