"""A case step's tries at an outside system, kept in the store (`bot_attempts`), and a case parked with its
evidence when they have to stop. Each try is `running` before anything is done, then closed with its outcome, its
error and its evidence: a try whose process died stays `running` until the next round closes it as interrupted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.cases.release import released_at
from ground.outside_work.failure import OutsideFailure
from ground.outside_work.leases import run_out
from ground.store.tables import bot_attempts, cases


class Attempt(StrEnum):
    """How one try ended, as `bot_attempts.outcome` keeps it."""

    RUNNING = "running"
    DONE = "done"
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    REFUSED = "login_refused"  # the system refused our account: no verdict on the case
    MISFIT = "misfit"  # our description of the system did not fit it: no verdict on the case, nor on the system
    INTERRUPTED = "interrupted"  # its process died (killed, crashed) before the try ended
    OUTAGE = "outage"  # a transient failure that opened the breaker: the system's, not the case's


def outcome(failure: OutsideFailure | None) -> Attempt:
    if failure is None:
        return Attempt.DONE
    if failure.misfit:
        return Attempt.MISFIT
    if failure.refuses_us:
        return Attempt.REFUSED
    return Attempt.TRANSIENT if failure.transient else Attempt.PERMANENT


@asynccontextmanager
async def recorded(engine: Engine, case_id: int, step: str, now: Callable[[], datetime]) -> AsyncIterator[int]:
    """One try of `step` at a case, in the store around the block; yields the attempt's id."""
    attempt_id = start(engine, case_id, step, now())
    try:
        yield attempt_id
    except OutsideFailure as failure:
        finish(engine, attempt_id, now(), failure)
        raise
    finish(engine, attempt_id, now(), None)


def start(engine: Engine, case_id: int, step: str, at: datetime) -> int:
    with engine.begin() as connection:
        result = connection.execute(
            bot_attempts.insert().values(case_id=case_id, bot=step, started_at=at, outcome=Attempt.RUNNING)
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def finish(engine: Engine, attempt_id: int, at: datetime, failure: OutsideFailure | None) -> None:
    values = {"finished_at": at, "outcome": outcome(failure), "error": None, "evidence": None}
    if failure is not None:
        values |= {"error": str(failure), "evidence": failure.evidence or None}
    with engine.begin() as connection:
        connection.execute(update(bot_attempts).where(bot_attempts.c.id == attempt_id).values(values))


def counted_failures(engine: Engine, case_id: int, step: str) -> int:
    """The case's transient failures at `step` since the operator last released it from parking (all, if never):
    the failures before a release were looked at."""
    with engine.connect() as connection:
        since = released_at(connection, case_id)
        query = select(func.count()).where(
            bot_attempts.c.case_id == case_id, bot_attempts.c.bot == step, bot_attempts.c.outcome == Attempt.TRANSIENT
        )
        if since is not None:
            query = query.where(bot_attempts.c.started_at > since)
        return int(connection.execute(query).scalar_one())


def mark_outage(engine: Engine, step: str, case_ids: list[int], since: datetime) -> None:
    """The transient failures of `case_ids` since `since` were the system's (they opened the breaker): recorded
    as an outage, they no longer count towards parking the cases."""
    with engine.begin() as connection:
        connection.execute(
            update(bot_attempts)
            .where(
                bot_attempts.c.case_id.in_(case_ids),
                bot_attempts.c.bot == step,
                bot_attempts.c.outcome == Attempt.TRANSIENT,
                bot_attempts.c.started_at >= since,
            )
            .values(outcome=Attempt.OUTAGE)
        )


def close_interrupted(engine: Engine, at: datetime, step: str, kinds: Iterable[str]) -> int:
    """Close as interrupted, at `at`, the attempts at `step` on cases of `kinds` that a dead process left running;
    how many. Only for a caller that holds the bots lock of that step (`agent.jobs.bot_round`) or works by case
    leases (the pre-fill): an attempt on a case no live lease holds is a dead round's, as a live round holds the
    lease of each case it works. The kill was no verdict on the case, so it never counts towards parking."""
    of_kinds = select(cases.c.id).where(cases.c.kind.in_(list(kinds)), run_out(at))
    with engine.begin() as connection:
        closed = connection.execute(
            update(bot_attempts)
            .where(
                bot_attempts.c.outcome == Attempt.RUNNING,
                bot_attempts.c.bot == step,
                bot_attempts.c.case_id.in_(of_kinds),
            )
            .values(outcome=Attempt.INTERRUPTED, finished_at=at)
        )
    return int(closed.rowcount)


def park(engine: Engine, case_id: int, actor: str, reason: str, evidence: dict[str, Any], at: datetime) -> None:
    """Give the case to a person: parked with the reason and the evidence, in its ledger entry."""
    with engine.begin() as connection:
        move_case(connection, case_id, State.PARKED, reason, actor, at, details=evidence, parked_reason=reason)


def attempt_counts(connection: Connection) -> list[tuple[str, str, int]]:
    """How many tries there are of each step (bot) and outcome, in that order."""
    columns = (bot_attempts.c.bot, bot_attempts.c.outcome)
    query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
    return [(step, outcome, count) for step, outcome, count in connection.execute(query)]
