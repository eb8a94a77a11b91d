"""The work log (台账): what a service officer did on a renewal they help with. Each entry is a row of the log and
an entry in the case's ledger, in one transaction; filing in the holder's name is recorded only with the holder's
委托 (mandate) reference."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from domain.assistance.actions import Action
from domain.assistance.roster import Officer
from domain.renewals.assisted import received
from ground.cases.lifecycle import FINAL_STATES, State
from ground.cases.moves import note_case
from ground.store.tables import cases, licences, subjects, work_log


class WorkLogRefused(ValueError):
    """The entry cannot be recorded; the message says why."""


def log_work(
    connection: Connection,
    case_id: int,
    officer: Officer,
    action: Action,
    note: str,
    mandate: str | None,
    at: datetime,
) -> int:
    """Record the entry and its ledger entry; returns the entry's id."""
    case = connection.execute(
        select(cases.c.kind, cases.c.state, cases.c.route, cases.c.materials_received).where(cases.c.id == case_id)
    ).one_or_none()
    if case is None or case.kind != "renewal" or State(case.state) in FINAL_STATES:
        raise WorkLogRefused(f"case {case_id} is not an open renewal ({case.state if case else 'no such case'})")
    if not note.strip():
        raise WorkLogRefused("a work-log entry needs a note: what was done, with whom")
    if action is Action.FILED and not (mandate or "").strip():
        raise WorkLogRefused("filing in the holder's name needs the holder's 委托 reference (--mandate)")
    values = (
        {"materials_received": received(case.materials_received, [note], at)}
        if action is Action.MATERIALS and case.route == "assisted"
        else {}
    )
    reason = f"work log: {action} by {officer.id} {officer.name}: {note}" + (f" (委托 {mandate})" if mandate else "")
    details = {"work_log": action.value, "officer": officer.id, "mandate": mandate}
    note_case(connection, case_id, reason, f"officer:{officer.id}", at, details=details, **values)
    entry = {
        "case_id": case_id,
        "officer_id": officer.id,
        "officer_name": officer.name,
        "action": action.value,
        "note": note,
        "mandate_ref": mandate,
        "at": at,
    }
    return int(connection.execute(work_log.insert().values(**entry).returning(work_log.c.id)).scalar_one())


def work_log_rows(connection: Connection) -> list[dict[str, Any]]:
    """Every entry, oldest first, with its case's licence, holder and township: the 台账 as exported."""
    query = (
        select(
            work_log,
            cases.c.licence_no,
            cases.c.licence_type,
            licences.c.holder_name,
            subjects.c.township,
        )
        .join(cases, cases.c.id == work_log.c.case_id)
        .outerjoin(licences, licences.c.licence_no == cases.c.licence_no)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .order_by(work_log.c.at, work_log.c.id)
    )
    return [dict(row) for row in connection.execute(query).mappings()]
