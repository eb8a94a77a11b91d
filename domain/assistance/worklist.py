"""The renewals staff help with, and which officer each goes to: those routed assisted (borderline, something
missing, a type not filed online, the window closed) and those the approver returned (the status sync routes them
to assisted), each with its holder's township and the last work-log entry."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, select

from domain.assistance.roster import Roster
from domain.renewals.assisted import return_reasons
from ground.cases.lifecycle import State
from ground.store.tables import cases, licences, subjects, work_log

WORKLIST_STATES = (State.ROUTED.value, State.RETURNED.value)


def worklist_cases(connection: Connection) -> list[dict[str, Any]]:
    """Most urgent (earliest last day to apply) first."""
    last = select(func.max(work_log.c.id)).group_by(work_log.c.case_id).scalar_subquery()
    logged = select(work_log).where(work_log.c.id.in_(last)).subquery()
    query = (
        select(
            cases.c.id,
            cases.c.state,
            cases.c.licence_no,
            cases.c.licence_type,
            cases.c.expires_on,
            cases.c.window_opens_on,
            cases.c.window_closes_on,
            cases.c.reasons,
            cases.c.materials_received,
            licences.c.holder_name,
            subjects.c.township,
            logged.c.action.label("last_action"),
            logged.c.note.label("last_note"),
            logged.c.at.label("last_at"),
        )
        .outerjoin(licences, licences.c.licence_no == cases.c.licence_no)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .outerjoin(logged, logged.c.case_id == cases.c.id)
        .where(cases.c.kind == "renewal", cases.c.route == "assisted", cases.c.state.in_(WORKLIST_STATES))
        .order_by(cases.c.window_closes_on, cases.c.id)
    )
    rows = [dict(row) for row in connection.execute(query).mappings()]
    reasons = return_reasons(connection, [row["id"] for row in rows if row["state"] == State.RETURNED.value])
    for row in rows:
        row["return_reason"] = reasons.get(row["id"])
    return rows


def assign(rows: list[dict[str, Any]], roster: Roster) -> dict[str | None, list[dict[str, Any]]]:
    """The cases by officer id; None holds those whose township no officer serves (or that have none on record)."""
    by_officer: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        officer = roster.for_township(row["township"])
        by_officer[None if officer is None else officer.id].append(row)
    return by_officer


def township_of(connection: Connection, case_id: int) -> str | None:
    """The township of a case's holder, which says whose case it is (None: no such case, or none on record)."""
    query = (
        select(subjects.c.township)
        .select_from(cases)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .where(cases.c.id == case_id)
    )
    township: str | None = connection.execute(query).scalar_one_or_none()
    return township
