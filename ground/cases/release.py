"""Releasing a parked case: the operator has looked at it (and fixed what was wrong), so it goes back to the state
it was parked from, for the bots or the next round to take it up again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from ground.cases.lifecycle import InvalidTransition, State, check_transition
from ground.cases.moves import move_case
from ground.store.tables import case_transitions, cases


class NotParked(ValueError):
    """The case is not parked, or its ledger does not say where it was parked from."""


def release_parked(connection: Connection, case_id: int, note: str, actor: str, at: datetime) -> State:
    """Move a parked case back to the state it was parked from; returns that state."""
    state = connection.execute(select(cases.c.state).where(cases.c.id == case_id)).scalar_one_or_none()
    if state is None:
        raise NotParked(f"there is no case {case_id}")
    if state != State.PARKED.value:
        raise NotParked(f"case {case_id} is {state}, not parked")
    parked_from = connection.execute(
        select(case_transitions.c.old_state)
        .where(case_transitions.c.case_id == case_id, case_transitions.c.new_state == State.PARKED.value)
        .order_by(case_transitions.c.at.desc(), case_transitions.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if parked_from is None:
        raise NotParked(f"case {case_id}: the ledger does not say which state it was parked from")
    back = State(parked_from)
    try:
        check_transition(State.PARKED, back)
    except InvalidTransition as exc:
        raise NotParked(f"case {case_id} cannot go back to {back}: {exc}") from exc
    reason = f"released by the operator: {note}" if note else "released by the operator"
    move_case(connection, case_id, back, reason, actor, at, parked_reason=None)
    return back


def released_at(connection: Connection, case_id: int) -> datetime | None:
    """When the case last left the parked state (failures before it were looked at), or None."""
    released: datetime | None = connection.execute(
        select(func.max(case_transitions.c.at)).where(
            case_transitions.c.case_id == case_id, case_transitions.c.old_state == State.PARKED.value
        )
    ).scalar_one()
    return released
