"""Opening and moving cases: the lifecycle's check, the new state written only where the case still is in the
state the move was decided on (compare-and-set), and its ledger entry, all in the caller's transaction. Nothing
else writes a case's state or its ledger entries (`tests/test_state_owner.py` holds every module to it).

A lost race raises `StaleCase` instead of writing: the caller's transaction is rolled back, and the next run
decides again from what is there. The bulk functions take a frame, so a million-row scan costs a few bulk
statements, not a million round trips.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, bindparam, select, update

from ground.cases.kinds import Kind
from ground.cases.ledger import case_entries, case_entry
from ground.cases.lifecycle import OPENING_STATES, InvalidTransition, State, check_transition
from ground.store.tables import cases
from ground.store.writes import execute_in_batches, insert_frame, records

LEDGER_COLUMNS = ("id", "natural_key", "state", "reason", "details")  # the rest of a moves frame is set on the case


class StaleCase(RuntimeError):
    """A case is no longer in the state its move was decided on: another process moved it first."""


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
    case = _current(connection, case_id)
    old = State(case.state)
    check_transition(old, new)
    _set_one(connection, case_id, old, state=new.value, updated_at=at, **values)
    case_entry(connection, case_id, case.natural_key, old, new, reason, actor, at, details)
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
    case = _current(connection, case_id)
    state = State(case.state)
    _set_one(connection, case_id, state, updated_at=at, **values)
    case_entry(connection, case_id, case.natural_key, state, state, reason, actor, at, details)
    return state


def open_cases(
    connection: Connection, opened: pd.DataFrame, kind: Kind, state: State, actor: str, at: datetime, **values: Any
) -> None:
    """Insert new cases, each with its ledger entry: one row of `opened` per case, with its `natural_key`, the
    `reason` for the ledger and the case's other columns; `values` on every case."""
    if state not in OPENING_STATES:
        raise InvalidTransition(f"a case is opened {' or '.join(sorted(OPENING_STATES))}, not {state}")
    if opened.empty:
        return
    stamp = {"kind": kind.value, "state": state.value, "created_at": at, "updated_at": at, **values}
    insert_frame(connection, cases, opened.drop(columns="reason"), stamp)
    # Read back by the moment and the kind (one pass over the table), then keep only our keys: unique, and new.
    found = connection.execute(
        select(cases.c.natural_key, cases.c.id).where(cases.c.kind == kind.value, cases.c.created_at == at)
    ).tuples()
    ids = opened["natural_key"].map(dict(found.all()))
    keys, reasons = opened["natural_key"].to_numpy(), opened["reason"].to_numpy()
    entries = pd.DataFrame({"case_id": ids.to_numpy(), "entity_key": keys, "reason": reasons})
    case_entries(connection, entries, actor, at, new_state=state.value)


def move_cases(
    connection: Connection, moves: pd.DataFrame, new: State, actor: str, at: datetime, **values: Any
) -> None:
    """Move many cases to `new` at once, each with its ledger entry.

    One row of `moves` per case: its `id`, `natural_key`, `state` (the state the move was decided on), the ledger's
    `reason` and, optionally, `details`; any other column is set on the case, row by row (datetimes as dates: the
    case's date columns); `values` on every case.
    Every old state is checked before anything is written: one move the lifecycle refuses refuses them all.
    """
    for old in moves["state"].unique():
        check_transition(State(old), new)
    _set_many(connection, moves, new, actor, at, values)


def note_cases(connection: Connection, notes: pd.DataFrame, actor: str, at: datetime, **values: Any) -> None:
    """`note_case` for many cases at once (a recomputed window): `notes` is shaped as `move_cases`' `moves`."""
    _set_many(connection, notes, None, actor, at, values)


def _current(connection: Connection, case_id: int) -> Any:
    return connection.execute(select(cases.c.state, cases.c.natural_key).where(cases.c.id == case_id)).one()


def _set_one(connection: Connection, case_id: int, old: State, **values: Any) -> None:
    where_still_old = (cases.c.id == case_id, cases.c.state == old.value)
    _check_changed(connection.execute(update(cases).where(*where_still_old).values(**values)).rowcount, 1)


def _set_many(
    connection: Connection, frame: pd.DataFrame, new: State | None, actor: str, at: datetime, values: dict[str, Any]
) -> None:
    """Set the state (unless `new` is None) and the other columns where each case still is in its `state`; then
    the ledger entries, old state to new."""
    if frame.empty:
        return
    per_row = [c for c in frame.columns if c not in LEDGER_COLUMNS]
    settings = {"updated_at": at, **values, **{c: bindparam(c) for c in per_row}}
    if new is not None:
        settings["state"] = new.value
    statement = (
        update(cases).where(cases.c.id == bindparam("b_id"), cases.c.state == bindparam("b_old")).values(settings)
    )
    rows = records(frame[per_row].assign(b_id=frame["id"], b_old=frame["state"]), [*per_row, "b_id", "b_old"])
    _check_changed(execute_in_batches(connection, statement, rows), len(rows))
    entries = pd.DataFrame(
        {
            "case_id": frame["id"].to_numpy(),
            "entity_key": frame["natural_key"].to_numpy(),
            "old_state": frame["state"].to_numpy(),
            "new_state": frame["state"].to_numpy() if new is None else new.value,
            "reason": frame["reason"].to_numpy(),
            # a move without details is recorded as `move_case` records it: JSON null
            "details": frame["details"].to_numpy() if "details" in frame else None,
        }
    )
    case_entries(connection, entries, actor, at)


def _check_changed(changed: int, expected: int) -> None:
    if changed != expected:
        raise StaleCase(
            f"{expected - changed} of {expected} cases were no longer in the state this change was decided on: "
            "another process moved them first"
        )
