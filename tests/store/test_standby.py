"""A standby scheduler on a second machine (here: a second engine, a second process) that takes over from the one
holding the scheduler lock when that one's session ends — killed with SIGKILL, or its session ended by the
database — and marks the runs its predecessor left running as interrupted. PostgreSQL only: SQLite is one machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text

from ground.store import open_store
from ground.store.job_runs import close_runs_of_the_dead, start_run
from ground.store.locks import LOCK_IDS
from ground.store.standby import StoppedWaiting, leading
from ground.store.tables import job_runs
from tests.conftest import REPO

pytestmark = pytest.mark.postgres
BEAT = 0.2  # seconds between the standby's asks and the leader's checks
PATIENCE = 60  # how long a test waits for what must happen before calling it a failure (never a speed target)
LEADER = """
import sys, threading, time
from datetime import UTC, datetime
from ground.store import open_store
from ground.store.job_runs import close_runs_of_the_dead, start_run
from ground.store.standby import leading
engine = open_store(sys.argv[1])
now = lambda: datetime.now(UTC)
with leading(engine, 0.2, threading.Event(), lambda: None, now):
    start_run(engine, "refresh", now())
    print("leading", flush=True)
    time.sleep(600)
"""


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Engine]:
    engine = open_store(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE job_runs RESTART IDENTITY"))
    yield engine
    engine.dispose()


def _end_leader_session(engine: Engine) -> None:
    """What an operator (or a lost network) does: the lock holder's session ends."""
    with engine.begin() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = :id"),
            {"id": LOCK_IDS["serve"]},
        )


def test_the_standby_waits_and_takes_over_when_the_leaders_session_ends(pg: Engine, postgres_url: str) -> None:
    lost, standby_leads, done, stop = threading.Event(), threading.Event(), threading.Event(), threading.Event()

    def standby() -> None:
        other = open_store(postgres_url)  # a second machine's own engine
        with leading(other, BEAT, stop, lambda: None, now):
            standby_leads.set()
            done.wait(PATIENCE)
        other.dispose()

    with leading(pg, BEAT, threading.Event(), lost.set, now):
        thread = threading.Thread(target=standby)
        thread.start()
        assert not standby_leads.wait(5 * BEAT), "the standby must not lead while the leader holds the lock"
        _end_leader_session(pg)
        assert lost.wait(PATIENCE), "the leader must notice that its lock is gone, and stop scheduling"
        assert standby_leads.wait(PATIENCE), "the standby must take over"
    done.set()
    thread.join(PATIENCE)


def test_a_leader_killed_mid_run_is_replaced_and_its_run_recorded_as_interrupted(pg: Engine, postgres_url: str) -> None:
    leader = subprocess.Popen(
        [sys.executable, "-c", LEADER, postgres_url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert leader.stdout is not None and leader.stdout.readline().strip() == "leading"
        os.kill(leader.pid, signal.SIGKILL)
        leader.wait(PATIENCE)
        with leading(pg, BEAT, threading.Event(), lambda: None, now), pg.connect() as connection:
            runs = connection.execute(select(job_runs.c.job_id, job_runs.c.status, job_runs.c.error)).all()
    finally:
        leader.kill()
    assert [(job, status) for job, status, _ in runs] == [("refresh", "interrupted")]
    assert "standby took over" in runs[0].error


def test_a_standby_told_to_stop_while_waiting_stops(pg: Engine) -> None:
    stop = threading.Event()
    with leading(pg, BEAT, threading.Event(), lambda: None, now):
        stop.set()
        with pytest.raises(StoppedWaiting), leading(pg, BEAT, stop, lambda: None, now):
            pytest.fail("a stopped standby must not lead")


def test_a_run_of_the_living_leader_is_left_alone(pg: Engine) -> None:
    with leading(pg, BEAT, threading.Event(), lambda: None, now):
        start_run(pg, "notify", now())
    with pg.connect() as connection:
        assert connection.execute(select(job_runs.c.status)).scalars().all() == ["running"]


def test_a_workers_run_is_left_to_the_next_run_holding_its_locks_not_closed_by_a_takeover(pg: Engine) -> None:
    # The scheduler's successor cannot tell whether a worker on another machine is alive; the lock it held can.
    start_run(pg, "platform-bots", now(), holds=("bots:prefill:0",))
    with leading(pg, BEAT, threading.Event(), lambda: None, now), pg.connect() as connection:
        after_takeover = connection.execute(select(job_runs.c.status)).scalars().all()
    closed = close_runs_of_the_dead(pg, "platform-bots", ("bots:prefill:0",), now())

    assert after_takeover == ["running"]
    assert closed == 1
