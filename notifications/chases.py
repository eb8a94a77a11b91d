"""催办 by SMS: the latest chase of each case still waiting on its approver goes into the outbox, to the department's
staff; a chase whose case was decided before its SMS went is cancelled — chasing stops the moment the decision
arrives. The outbox sends it like any other SMS (quiet hours, retries, reconciliation), except that staff messages
are not held to a holder's daily cap and no letter replaces one that cannot go (ground/events.py STAFF_EVENTS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from domain.chasing.reads import latest_filings
from ground.cases.lifecycle import State
from ground.events import Event
from ground.store.tables import cases, chases, notifications
from notifications import outbox
from notifications.notifier import Notifier
from notifications.outbox import Status
from notifications.sms import TemplateNotApproved
from notifications.sms_text import SmsRuleError

DECIDED = "已作出审批决定，催办停止"


@dataclass
class ChaseSmsReport:
    recorded: int = 0
    cancelled: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return {"new sms": self.recorded, "cancelled": self.cancelled}


def enqueue_chases(engine: Engine, notifier: Notifier, now: datetime) -> ChaseSmsReport:
    now = now.astimezone(UTC)
    report = ChaseSmsReport(cancelled=_cancel_decided(engine, now))
    with engine.connect() as connection:
        due = _latest_unsent(connection)
    rows = [row for chase in due if (row := _sms_row(chase, notifier, now, report)) is not None]
    report.recorded = outbox.record(engine, rows)
    return report


def _latest_unsent(connection: Connection) -> list[dict[str, Any]]:
    """The latest chase of each waiting case's current filing, if it has no message in the outbox yet. An older one
    that never got there (its template was refused that day) is not sent late: it would say the case had waited
    less than it has."""
    filing = latest_filings()
    latest = select(func.max(chases.c.id)).group_by(chases.c.filing_id).scalar_subquery()
    # The filing as a set to look in, not a table to join: joined, SQLite walked every pre-filled case for each
    # latest filing (0.35 s a notify round at 10,000 licences, six rounds a day); looked up, a few milliseconds.
    query = (
        select(chases.c.natural_key, chases.c.case_id, chases.c.recipient_mobile, chases.c.context)
        .join(cases, cases.c.id == chases.c.case_id)
        .outerjoin(notifications, notifications.c.natural_key == chases.c.natural_key)
        .where(
            chases.c.id.in_(latest),
            chases.c.filing_id.in_(select(filing.c.filing_id)),
            cases.c.state == State.PREFILLED.value,
            notifications.c.id.is_(None),
        )
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def _sms_row(chase: dict[str, Any], notifier: Notifier, now: datetime, report: ChaseSmsReport) -> dict[str, Any] | None:
    context = {**chase["context"], "bureau": notifier.settings.bureau.model_dump()}
    try:
        sms = notifier.templates[Event.CHASE].render(context)
    except (TemplateNotApproved, SmsRuleError) as exc:
        report.warnings.append(f"chase {chase['natural_key']} not sent: {exc}")
        return None
    return outbox.staff_sms(chase["natural_key"], chase["case_id"], chase["recipient_mobile"], context, sms, now)


def _cancel_decided(engine: Engine, now: datetime) -> int:
    query = (
        select(notifications.c.id)
        .join(cases, cases.c.id == notifications.c.case_id)
        .where(
            notifications.c.event == Event.CHASE.value,
            notifications.c.status == Status.CREATED.value,
            cases.c.state != State.PREFILLED.value,
        )
    )
    cancelled = 0
    with engine.begin() as connection:
        for message_id in connection.execute(query).scalars().all():
            cancelled += outbox.move(
                connection, message_id, Status.CREATED, now, status=Status.CANCELLED, error=DECIDED
            )
    return cancelled
