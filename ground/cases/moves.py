"""Moving a case: the lifecycle's check, the new state and its ledger entry, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from ground.cases.lifecycle import State, check_transition
from ground.store.tables import case_transitions, cases


def move_case(
    connection: Connection,
    case_id: int,
    new: State,
    reason: str,
    actor: str,
    at: datetime,
    details: dict[str, Any] | None = None,
    **values: Any,
) -> State:
    """Change a case's state and append its ledger entry; returns the state it left."""
    case = connection.execute(select(cases.c.state, cases.c.natural_key).where(cases.c.id == case_id)).one()
    old = State(case.state)
    check_transition(old, new)
    connection.execute(update(cases).where(cases.c.id == case_id).values(state=new.value, updated_at=at, **values))
    _ledger(connection, case_id, case.natural_key, old, new, reason, actor, at, details)
    return old


def note_case(
    connection: Connection,
    case_id: int,
    reason: str,
    actor: str,
    at: datetime,
    details: dict[str, Any] | None = None,
    **values: Any,
) -> State:
    """Record something that happened to a case without moving it (materials received), with its ledger entry."""
    case = connection.execute(select(cases.c.state, cases.c.natural_key).where(cases.c.id == case_id)).one()
    connection.execute(update(cases).where(cases.c.id == case_id).values(updated_at=at, **values))
    _ledger(connection, case_id, case.natural_key, State(case.state), State(case.state), reason, actor, at, details)
    return State(case.state)


def _ledger(
    connection: Connection,
    case_id: int,
    key: str,
    old: State,
    new: State,
    reason: str,
    actor: str,
    at: datetime,
    details: dict[str, Any] | None,
) -> None:
    connection.execute(
        case_transitions.insert().values(
            case_id=case_id,
            entity="case",
            entity_key=key,
            old_state=old.value,
            new_state=new.value,
            reason=reason,
            actor=actor,
            details=details,
            at=at,
        )
    )
