"""Sending what is due from the outbox, exactly once, through the step runner.

A message is claimed (created → sending, committed) before the provider is called, and its outcome is written
after. A crash between the two leaves it `sending`; the next run first asks the provider whether it exists
(`reconcile`) and only then sends again. A retry only ever takes messages still `created`. An SMS is tried once a
run: its back-off is kept as its due time (so that neither a crash nor an early run can shorten it), and after
`max_attempts` tries in all it is given up for a letter.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine, select

from ground import failpoints
from ground.events import STAFF_EVENTS
from ground.outside_work.breaker import Breaker, always
from ground.outside_work.policy import Next, RetryPolicy
from ground.outside_work.runner import Tried, tries, work_through
from ground.settings import SmsSettings
from ground.store.reads import stored_moment
from ground.store.tables import notifications
from notifications import outbox
from notifications.events import SMS_ONLY
from notifications.holds import hold, hold_until_tomorrow, over_cap
from notifications.masking import masked_logger
from notifications.notifier import Notifier
from notifications.outbox import Status
from notifications.senders.base import Accepted, Sender, SendError
from notifications.senders.twilio import UNSUBSCRIBED
from notifications.settle import accept, reject

log = masked_logger(__name__)
CLOCK_SKEW = timedelta(minutes=2)  # between our clock and the provider's, when matching a message after a crash
BREAKER = 3  # transient failures in a row before the round stops: the provider is struggling, stop hammering it


@dataclass
class DispatchReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return dict(self.outcomes)


@dataclass(frozen=True)
class Round:
    """What every message of one dispatch is sent with."""

    engine: Engine
    notifier: Notifier
    sender: Sender
    now: datetime
    report: DispatchReport
    policy: RetryPolicy


def sms_policy(sms: SmsSettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=1,
        backoff_seconds=sms.backoff_seconds,
        breaker_threshold=BREAKER,
        park_after=sms.max_attempts,
    )


def dispatch(
    engine: Engine,
    notifier: Notifier,
    sender: Sender,
    now: datetime,
    limit: int | None = None,
    keep_going: Callable[[], bool] = always,
) -> DispatchReport:
    """Reconcile, then send what is due. `keep_going` is asked before each message (the service's stop flag): once
    it says no, the message in hand is finished and the rest wait, untouched, for the next run."""
    report = DispatchReport()
    now = now.astimezone(UTC)  # SQLite keeps no offset: every stored moment is UTC
    reconcile(engine, notifier, sender, now, report, keep_going)
    local = now.astimezone(notifier.zone)
    due = _due_sms(engine, now, limit)
    if due and not notifier.hours.allows(local):
        report.outcomes["held (quiet hours)"] += hold(engine, [row["id"] for row in due], notifier, local, now)
    elif due:  # the provider call blocks: one message at a time, nothing else waits on the loop
        run = Round(engine, notifier, sender, now, report, sms_policy(notifier.settings.sms))
        asyncio.run(_send_all(run, due, keep_going))
    return report


def _due_sms(engine: Engine, now: datetime, limit: int | None) -> list[dict[str, Any]]:
    query = (
        select(
            notifications.c.id,
            notifications.c.event,
            notifications.c.recipient,
            notifications.c.body,
            notifications.c.attempts,
        )
        .where(
            notifications.c.channel == "sms",
            notifications.c.status == Status.CREATED.value,
            notifications.c.due_at <= now,
        )
        .order_by(notifications.c.due_at, notifications.c.id)
        .limit(limit)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


async def _send_all(run: Round, due: list[dict[str, Any]], keep_going: Callable[[], bool]) -> None:
    with run.engine.connect() as connection:
        opted_out = outbox.opted_out(connection, sorted({row["recipient"] for row in due}))
    breaker = Breaker(run.policy.breaker_threshold, keep_going, system="the SMS provider", stopped="stopped on request")
    left = await work_through(iter(due), breaker, lambda row: row["id"], partial(_send_one, run, opted_out))
    if breaker.reason is not None:
        run.report.warnings.append(f"{breaker.reason}; {left} SMS left for the next run")


async def _send_one(run: Round, opted_out: set[str], row: dict[str, Any]) -> Next | None:
    """Send one message; what the breaker learns (None: the provider was not asked)."""
    engine, notifier, now, outcomes = run.engine, run.notifier, run.now, run.report.outcomes
    if row["recipient"] in opted_out:
        reject(engine, notifier, row["id"], Status.CREATED, "已退订短信", None, now)
        outcomes[f"opted out{_instead(row['event'])}"] += 1
        return None
    if row["event"] not in STAFF_EVENTS and over_cap(engine, notifier, row["recipient"], now):
        outcomes["held (daily cap)"] += hold_until_tomorrow(engine, row["id"], notifier, now)
        return None
    if not outbox.claim(engine, row["id"], now):
        return None  # another run took it
    tried = await tries(partial(_send, run.sender, row), run.policy, partial(_tries_so_far, row))
    outcomes[_settle(run, row, tried)] += 1
    return tried.next


def _tries_so_far(row: dict[str, Any]) -> int:
    """The message's tries in all, this one included (its claim counted it; `row` was read before)."""
    return int(row["attempts"]) + 1


async def _send(sender: Sender, row: dict[str, Any], attempt: int) -> Accepted:
    accepted = sender.send(row["recipient"], row["body"], row["id"])
    failpoints.reach(failpoints.AFTER_SMS_SEND)
    return accepted


def _settle(run: Round, row: dict[str, Any], tried: Tried[Accepted]) -> str:
    """Record what came of the try; the outcome's name."""
    engine, now = run.engine, run.now
    if tried.result is not None:
        accept(engine, row["id"], tried.result, now)
        return "sent"
    failure = tried.failure
    assert isinstance(failure, SendError)  # the senders' one error
    log.warning("SMS %s to %s: %s", row["id"], row["recipient"], failure)
    if failure.uncertain:  # it may exist at the provider: leave it `sending` for reconciliation
        with engine.begin() as connection:
            outbox.move(connection, row["id"], Status.SENDING, now, error=str(failure))
        return "uncertain: reconcile"
    if failure.code == str(UNSUBSCRIBED):
        outbox.add_opt_out(engine, row["recipient"], "provider", str(failure), now)
    if tried.next is Next.GIVE_UP:
        reject(engine, run.notifier, row["id"], Status.SENDING, str(failure), failure.code, now)
        return f"refused{_instead(row['event'])}"
    due = now + timedelta(seconds=run.policy.backoff(_tries_so_far(row)))
    with engine.begin() as connection:
        outbox.move(
            connection,
            row["id"],
            Status.SENDING,
            now,
            status=Status.CREATED,
            due_at=due,
            error=str(failure),
            error_code=failure.code,
        )
    return "retry later"


def _instead(event: str) -> str:
    """What takes a refused SMS's place: a letter, unless the event goes by SMS only."""
    return "" if event in SMS_ONLY else ": letter instead"


def reconcile(
    engine: Engine,
    notifier: Notifier,
    sender: Sender,
    now: datetime,
    report: DispatchReport,
    keep_going: Callable[[], bool] = always,
) -> None:
    """Messages left `sending` by a crash or an unanswered request: found at the provider → recorded as sent;
    not found → back to `created`, to be sent once."""
    now = now.astimezone(UTC)
    grace = timedelta(seconds=notifier.settings.sms.timeout_seconds + 5)
    query = select(
        notifications.c.id, notifications.c.recipient, notifications.c.body, notifications.c.claimed_at
    ).where(notifications.c.status == Status.SENDING.value, notifications.c.claimed_at <= now - grace)
    with engine.connect() as connection:
        stale = [dict(row) for row in connection.execute(query).mappings()]
    for row in stale:
        if not keep_going():
            return  # what is left stays `sending`, for the next run to settle
        try:
            found = sender.find(row["recipient"], row["body"], stored_moment(row["claimed_at"]) - CLOCK_SKEW)
        except SendError as exc:
            report.warnings.append(f"could not reconcile SMS {row['id']} with the provider: {exc}")
            continue
        if found is not None:
            accept(engine, row["id"], found, now)
            report.outcomes["reconciled: had been sent"] += 1
        else:
            with engine.begin() as connection:
                outbox.move(connection, row["id"], Status.SENDING, now, status=Status.CREATED, due_at=now)
            report.outcomes["reconciled: not sent, queued again"] += 1
