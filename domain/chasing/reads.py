"""What the chasing reads from the store: the cases waiting on their approver with their filing and the chases of
that filing so far, and each chase with the state of its SMS."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, Subquery, and_, func, select

from domain.chasing.departments import Departments
from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.store.tables import case_transitions, cases, chases, notifications


def latest_filings() -> Subquery:
    """Each case's latest filing (case_id, filing_id): its latest move into `prefilled` from a state before it. A
    release from parking or a note on the case is not a filing."""
    return (
        select(case_transitions.c.case_id, func.max(case_transitions.c.id).label("filing_id"))
        .where(
            case_transitions.c.new_state == State.PREFILLED.value,
            case_transitions.c.old_state.not_in([State.PREFILLED.value, State.PARKED.value]),
        )
        .group_by(case_transitions.c.case_id)
        .subquery()
    )


def waiting_cases(connection: Connection) -> list[dict[str, Any]]:
    """Every case pre-filled on the platform and not yet decided (the status sync moves it on when the decision
    arrives), with its latest filing."""
    filing = latest_filings()
    filed = case_transitions.alias("filed")
    chased = (
        select(chases.c.filing_id, func.count().label("chases"), func.max(chases.c.at).label("last_chased_at"))
        .group_by(chases.c.filing_id)
        .subquery()
    )
    query = (
        select(
            cases.c.id,
            cases.c.kind,
            cases.c.licence_type,
            cases.c.policy_id,
            cases.c.trace,
            func.coalesce(cases.c.application_no, cases.c.platform_ref).label("application_no"),
            filing.c.filing_id,
            filed.c.at.label("filed_at"),
            func.coalesce(chased.c.chases, 0).label("chases"),
            chased.c.last_chased_at,
        )
        .join(filing, filing.c.case_id == cases.c.id)
        .join(filed, filed.c.id == filing.c.filing_id)
        .outerjoin(chased, chased.c.filing_id == filing.c.filing_id)
        .where(cases.c.state == State.PREFILLED.value)
        .order_by(filed.c.at, cases.c.id)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def chase_history(connection: Connection, filing_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The chases of each filing, in order, each with its SMS's status in the outbox (None: not in the outbox)."""
    query = (
        select(
            chases.c.filing_id,
            chases.c.number,
            chases.c.level,
            chases.c.recipient_name,
            chases.c.at,
            notifications.c.status.label("sms_status"),
        )
        .outerjoin(
            notifications, and_(notifications.c.natural_key == chases.c.natural_key, notifications.c.channel == "sms")
        )
        .where(chases.c.filing_id.in_(filing_ids))
        .order_by(chases.c.filing_id, chases.c.number)
    )
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in connection.execute(query).mappings():
        history[row["filing_id"]].append(dict(row))
    return history


class Approval(NamedTuple):
    case_id: int
    department: str  # the department's id in the departments file; "" where it names none


def approving_departments(
    connection: Connection, directory: Departments, numbers: Sequence[str]
) -> dict[str, Approval]:
    """Our case and the department that decides it, for each of our applications on the platform, by its number
    (renewals by licence type, subsidies by policy, as the departments file says)."""
    if not numbers:
        return {}
    query = select(cases.c.id, cases.c.application_no, cases.c.kind, cases.c.licence_type, cases.c.policy_id).where(
        cases.c.application_no.in_(list(numbers))
    )
    return {
        str(row.application_no): Approval(int(row.id), _department(row, directory)) for row in connection.execute(query)
    }


def _department(row: Row[Any], directory: Departments) -> str:
    if row.kind == Kind.SUBSIDY.value:
        matter = directory.subsidies.get(row.policy_id or "")
        return matter.department if matter else ""
    return directory.renewals.get(row.licence_type or "", "")
