"""Sending what is due from the outbox, exactly once.

A message is claimed (created → sending, committed) before the provider is called, and its outcome is written
after. A crash between the two leaves it `sending`; the next run first asks the provider whether it exists
(`reconcile`) and only then sends again. A retry only ever takes messages still `created`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select

from ground import failpoints
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.events import STAFF_EVENTS, Event
from ground.store.reads import stored_moment
from ground.store.tables import cases, notifications
from ground.store.writes import insert_new
from notifications import outbox
from notifications.enqueue import holders, letter_fields
from notifications.events import SMS_ONLY
from notifications.masking import masked_logger
from notifications.notifier import Notifier
from notifications.outbox import Status
from notifications.senders.base import Accepted, Sender, SendError
from notifications.senders.twilio import UNSUBSCRIBED

log = masked_logger(__name__)
CLOCK_SKEW = timedelta(minutes=2)  # between our clock and the provider's, when matching a message after a crash
BREAKER = 3  # transient failures in a row before the round stops: the provider is struggling, stop hammering it
STRUGGLING = frozenset({"retry later", "uncertain: reconcile"})  # the outcomes the breaker counts


@dataclass
class DispatchReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return dict(self.outcomes)


def always() -> bool:
    return True


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
        report.outcomes["held (quiet hours)"] += _hold(engine, [row["id"] for row in due], notifier, local, now)
        return report
    _send_all(engine, notifier, sender, due, now, report, keep_going)
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


def _send_all(
    engine: Engine,
    notifier: Notifier,
    sender: Sender,
    due: list[dict[str, Any]],
    now: datetime,
    report: DispatchReport,
    keep_going: Callable[[], bool],
) -> None:
    with engine.connect() as connection:
        opted_out = outbox.opted_out(connection, sorted({row["recipient"] for row in due}))
    failures_in_a_row = 0
    for done, row in enumerate(due):
        if not keep_going():
            report.warnings.append(f"stopped on request; {len(due) - done} SMS left for the next run")
            return
        if row["recipient"] in opted_out:
            _reject(engine, notifier, row["id"], Status.CREATED, "已退订短信", None, now)
            report.outcomes[f"opted out{_instead(row['event'])}"] += 1
            continue
        if row["event"] not in STAFF_EVENTS and _over_cap(engine, notifier, row["recipient"], now):
            report.outcomes["held (daily cap)"] += _hold_until_tomorrow(engine, row["id"], notifier, now)
            continue
        if not outbox.claim(engine, row["id"], now):
            continue  # another run took it
        outcome = _send_one(engine, notifier, sender, row, now)
        report.outcomes[outcome] += 1
        failures_in_a_row = failures_in_a_row + 1 if outcome in STRUGGLING else 0
        if failures_in_a_row >= BREAKER:
            report.warnings.append(
                f"{BREAKER} sends in a row failed for passing reasons; the rest wait for the next run"
            )
            return


def _send_one(engine: Engine, notifier: Notifier, sender: Sender, row: dict[str, Any], now: datetime) -> str:
    try:
        accepted = sender.send(row["recipient"], row["body"], row["id"])
    except SendError as exc:
        return _failed(engine, notifier, row, exc, now)
    failpoints.reach(failpoints.AFTER_SMS_SEND)
    accept(engine, row["id"], accepted, now)
    return "sent"


def _failed(engine: Engine, notifier: Notifier, row: dict[str, Any], exc: SendError, now: datetime) -> str:
    log.warning("SMS %s to %s: %s", row["id"], row["recipient"], exc)
    if exc.uncertain:  # it may exist at the provider: leave it `sending` for reconciliation
        with engine.begin() as connection:
            outbox.move(connection, row["id"], Status.SENDING, now, error=str(exc))
        return "uncertain: reconcile"
    if exc.code == str(UNSUBSCRIBED):
        outbox.add_opt_out(engine, row["recipient"], "provider", str(exc), now)
    attempts = row["attempts"] + 1
    if exc.permanent or attempts >= notifier.settings.sms.max_attempts:
        _reject(engine, notifier, row["id"], Status.SENDING, str(exc), exc.code, now)
        return f"refused{_instead(row['event'])}"
    delay = timedelta(seconds=notifier.settings.sms.backoff_seconds * 2 ** (attempts - 1))
    with engine.begin() as connection:
        outbox.move(
            connection,
            row["id"],
            Status.SENDING,
            now,
            status=Status.CREATED,
            due_at=now + delay,
            error=str(exc),
            error_code=exc.code,
        )
    return "retry later"


def accept(engine: Engine, message_id: int, accepted: Accepted, at: datetime) -> None:
    """The provider has the message: record its id and status, and move the case on if the notice says so."""
    with engine.begin() as connection:
        if outbox.move(
            connection,
            message_id,
            Status.SENDING,
            at,
            status=accepted.status,
            provider_sid=accepted.sid,
            sent_at=at,
            error=None,
        ):
            told(connection, message_id, at)


# The notice that tells a holder their case is through, and the state it closes: the case is then notified. (A
# renewal is done when its licence is renewed in our records, before its notice goes.)
CLOSING_NOTICES = {Event.SUBSIDY_GRANTED.value: State.PAID}


def told(connection: Connection, message_id: int, at: datetime) -> None:
    """The holder has been told their case is through (SMS handed over, or letter printed): it is notified."""
    message = connection.execute(
        select(notifications.c.case_id, notifications.c.event, notifications.c.channel).where(
            notifications.c.id == message_id
        )
    ).one()
    closes = CLOSING_NOTICES.get(message.event)
    if closes is None or message.case_id is None:
        return
    state = connection.execute(select(cases.c.state).where(cases.c.id == message.case_id)).scalar_one()
    if state == closes.value:
        move_case(connection, message.case_id, State.NOTIFIED, f"holder told by {message.channel}", "notify", at)


def _reject(
    engine: Engine, notifier: Notifier, message_id: int, expected: Status, reason: str, code: str | None, at: datetime
) -> None:
    """The SMS cannot go: it is closed with the reason and a letter takes its place (same event, same values)."""
    with engine.begin() as connection:
        if outbox.move(connection, message_id, expected, at, status=Status.REJECTED, error=reason, error_code=code):
            fallback_letter(connection, notifier, message_id, reason, at)


def _instead(event: str) -> str:
    """What takes a refused SMS's place: a letter, unless the event goes by SMS only."""
    return "" if event in SMS_ONLY else ": letter instead"


def fallback_letter(connection: Connection, notifier: Notifier, message_id: int, reason: str, at: datetime) -> None:
    sms = connection.execute(select(notifications).where(notifications.c.id == message_id)).mappings().one()
    if sms["event"] in SMS_ONLY:  # no letter takes its place (notifications.events.SMS_ONLY says why)
        return
    joined, columns = holders()
    holder = connection.execute(select(*columns).select_from(joined).where(cases.c.id == sms["case_id"])).one()
    letter = {
        "natural_key": f"{sms['natural_key']}:letter",
        "case_id": sms["case_id"],
        "event": sms["event"],
        "context": sms["context"],
        "status": Status.CREATED.value,
        "due_at": at,
        "attempts": 0,
        "fallback_of": message_id,
        "error": reason,
        "created_at": at,
        "updated_at": at,
        **letter_fields(holder.holder_name, holder.address, holder.township),
    }
    connection.execute(insert_new(connection, notifications, "natural_key"), letter)


def _over_cap(engine: Engine, notifier: Notifier, mobile: str, now: datetime) -> bool:
    local = now.astimezone(notifier.zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    with engine.connect() as connection:
        return outbox.sent_today(connection, mobile, midnight) >= notifier.settings.sms.daily_cap


def _hold(engine: Engine, ids: list[int], notifier: Notifier, local: datetime, now: datetime) -> int:
    opening = notifier.hours.next_opening(local).astimezone(UTC)
    held = 0
    with engine.begin() as connection:
        for message_id in ids:
            held += outbox.move(connection, message_id, Status.CREATED, now, due_at=opening)
    return held


def _hold_until_tomorrow(engine: Engine, message_id: int, notifier: Notifier, now: datetime) -> int:
    local = now.astimezone(notifier.zone)
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return _hold(engine, [message_id], notifier, tomorrow, now)


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
