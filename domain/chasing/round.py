"""The chase round: each case overdue today and due a chase gets one, recorded before anything is sent — a row in
`chases` (whom, what it says) and its ledger entry, in one transaction. The SMS is the outbox's to send
(notifications/chases.py). A re-run the same day finds the chase recorded and adds nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, select

from domain.chasing.departments import Departments
from domain.chasing.survey import Pending, survey
from domain.chasing.timing import Level
from domain.licence_types import LicenceType
from ground.calendar import WorkingDayCalendar
from ground.cases.lifecycle import State
from ground.cases.moves import note_case
from ground.events import Event
from ground.settings import ChaseSettings
from ground.store.tables import cases, chases
from ground.store.writes import insert_new

ACTOR = "chase"


@dataclass
class ChaseReport:
    chased: Counter[str] = field(default_factory=Counter)  # level → chases recorded
    warnings: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return {f"chased {level}": n for level, n in self.chased.items()}


def chase_round(
    engine: Engine,
    directory: Departments,
    types: Mapping[str, LicenceType],
    calendar: WorkingDayCalendar,
    rules: ChaseSettings,
    today: date,
    now: datetime,
    zone: ZoneInfo,
) -> ChaseReport:
    with engine.connect() as connection:
        found = survey(connection, directory, types, calendar, rules, today, zone)
    report = ChaseReport(warnings=found.unknown)
    for pending in found.pending:
        if pending.standing.due is not None:
            with engine.begin() as connection:
                if record_chase(connection, pending, pending.standing.due, now):
                    report.chased[pending.standing.due.value] += 1
    return report


def record_chase(connection: Connection, pending: Pending, level: Level, now: datetime) -> bool:
    """Record the chase and its ledger entry; False if the case was decided meanwhile or the chase is recorded."""
    state = connection.execute(select(cases.c.state).where(cases.c.id == pending.case["id"])).scalar_one()
    if state != State.PREFILLED.value:
        return False
    row = chase_row(pending, level, now)
    # RETURNING tells whether the row went in: psycopg's rowcount for this insert is -1 whatever happened.
    inserted = insert_new(connection, chases, "natural_key").values(**row).returning(chases.c.id)
    if connection.execute(inserted).first() is None:
        return False
    reason = (
        f"chase {row['number']} sent to {row['department']} ({level}: {row['recipient_name']}): waited "
        f"{row['waited_working_days']} working days, {pending.matter.promised_working_days} promised"
    )
    details = {key: row[key] for key in ("natural_key", "number", "level", "department", "recipient_name")}
    note_case(connection, pending.case["id"], reason, ACTOR, now, details=details)
    return True


def chase_row(pending: Pending, level: Level, now: datetime) -> dict[str, Any]:
    """The chase as recorded: whom it goes to, and the values its SMS says (no holder's data: the matter and its
    number are what the department finds the case by)."""
    case, matter, standing = pending.case, pending.matter, pending.standing
    department = matter.department
    recipient = department.contact if level is Level.CONTACT else department.supervisor
    number = standing.waiting.chases + 1
    context = {
        "recipient_name": recipient.name,
        "level": level.value,
        "department": department.name,
        "contact_name": department.contact.name,
        "matter": matter.label,
        "application_no": case["application_no"],
        "filed_on": standing.waiting.filed_on.isoformat(),
        "promised_working_days": matter.promised_working_days,
        "waited_working_days": standing.waited,
        "waited_estimated": standing.estimated,
        "number": number,
    }
    return {
        "natural_key": f"case:{case['id']}:{Event.CHASE.value}:{case['filing_id']}:{number}",
        "case_id": case["id"],
        "filing_id": case["filing_id"],
        "number": number,
        "level": level.value,
        "department": department.name,
        "recipient_name": recipient.name,
        "recipient_mobile": recipient.mobile,
        "waited_working_days": standing.waited,
        "context": context,
        "at": now,
    }
