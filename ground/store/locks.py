"""Locks that keep one kind of work to one process per database, released by the operating system or by the
database when the process dies: a file lock beside a SQLite database, a session advisory lock on PostgreSQL."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

# Pre-fill rounds at work at once on one database, each holding one lane (`one_of`): the lanes do not keep rounds
# apart (the cases' leases do, `bots.claims`); a lane is how a round's record is closed when its process died.
PREFILL_LANES = tuple(f"bots:prefill:{lane}" for lane in range(16))
# The pre-fill's locks before its lanes, one per kind of case. No round takes them now; a run an older version left
# recorded as running while holding them is closed by the first pre-fill round that finds them free (stopping the
# service for the upgrade frees them).
RETIRED_PREFILL_LOCKS = ("bots:prefill:renewal", "bots:prefill:subsidy")
# One advisory lock id per kind of work, the same for every proactive-agent process on a PostgreSQL database. The
# status sync, notices and letters: one round at a time.
LOCK_IDS = {
    "serve": 0x50524F41,  # "PROA"
    "bots:prefill:renewal": 0x50524F42,  # retired
    "bots:prefill:subsidy": 0x50524F43,  # retired
    "bots:status_sync": 0x50524F44,
    "notify": 0x50524F45,
    "letters": 0x50524F46,
    **{name: 0x50524F50 + lane for lane, name in enumerate(PREFILL_LANES)},
}


class Held(RuntimeError):
    """Another process holds the lock."""


@contextmanager
def alone(engine: Engine, name: str, what: str) -> Iterator[None]:
    """Run the block as the only process doing `name` on this database; `what` says who holds it if one does."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            if not connection.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": LOCK_IDS[name]}).scalar():
                raise Held(f"{what} on {engine.url.render_as_string()}")
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_IDS[name]})
        return
    database = engine.url.database
    if not database or database == ":memory:":  # no other process can open this database
        yield
        return
    # Keyed on the real file, not the URL's text: a second process through a symlink must meet the same lock.
    lock_path = Path(f"{os.path.realpath(database)}.{name}.lock")
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Held(f"{what} on {database} ({lock_path})") from exc
        yield


@contextmanager
def one_of(engine: Engine, names: tuple[str, ...], what: str) -> Iterator[str]:
    """Hold the first of `names` that is free, as `alone` holds one; yields its name. `Held` if all are held."""
    for name in names:
        held = ExitStack()
        try:
            held.enter_context(alone(engine, name, what))
        except Held:
            continue
        with held:
            yield name
        return
    raise Held(f"{what}: all {len(names)} held on {engine.url.render_as_string()}")
