"""The pre-fill bot's claim on a case: a lease on it for this round (compare-and-set, `ground.outside_work.leases`),
and our platform reference, written before any browser step (the intent, recorded first). The lease keeps other
rounds off the case while this one works it; the reference is what makes a repeat safe: any try that may follow a
filing (a retry, or a round taking over the case of a round that died) searches the platform for it first."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update

from bots.application import platform_ref
from ground.outside_work.leases import lease_end, may_claim, utc
from ground.store.tables import cases


def round_name(lane: str) -> str:
    """Who holds a round's leases: its lane (`agent.jobs.bot_round`), then the machine, the process and the round."""
    return f"{lane}/{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(engine: Engine, case: dict[str, Any], me: str, now: datetime, lease_seconds: float) -> bool:
    """Take the case for round `me` until `lease_seconds` from `now`, if no other round holds a live lease on it
    and it is still as the round selected it (in its `state`, no application: another round may have filed or
    parked it since), and write our reference on it if it has none; whether it is ours. `claimed` marks a case
    whose reference this round wrote, which no application can have yet. Compare-and-set on the lease as read: of
    two rounds reading the same lease, one changes it."""
    with engine.begin() as connection:
        seen = connection.execute(
            select(cases.c.claimed_by, cases.c.lease_until, cases.c.platform_ref).where(
                cases.c.id == case["id"], cases.c.state == case["state"], cases.c.application_no.is_(None)
            )
        ).one_or_none()
        if seen is None or not may_claim(seen.claimed_by, utc(seen.lease_until), me, now):
            return False
        reference = seen.platform_ref or platform_ref(case["id"])
        taken = connection.execute(
            update(cases)
            .where(
                cases.c.id == case["id"],
                cases.c.state == case["state"],
                cases.c.application_no.is_(None),
                cases.c.claimed_by.is_not_distinct_from(seen.claimed_by),
                cases.c.lease_until.is_not_distinct_from(seen.lease_until),
            )
            .values(claimed_by=me, lease_until=lease_end(now, lease_seconds), platform_ref=reference)
        )
    if taken.rowcount != 1:
        return False
    case["platform_ref"], case["claimed"] = reference, seen.platform_ref is None
    return True


def release(engine: Engine, me: str) -> None:
    """Round `me` is done: the cases it still holds (left for later) are free for the next round at once."""
    with engine.begin() as connection:
        connection.execute(update(cases).where(cases.c.claimed_by == me).values(claimed_by=None, lease_until=None))


def release_lane(engine: Engine, lane: str) -> int:
    """The cases held by rounds of `lane`, which its caller holds now: those rounds died (a round holds its lane
    until it ends), so their cases are free at once, without waiting for their leases to run out. How many."""
    with engine.begin() as connection:
        freed = connection.execute(
            update(cases).where(cases.c.claimed_by.startswith(f"{lane}/")).values(claimed_by=None, lease_until=None)
        )
    return int(freed.rowcount)
