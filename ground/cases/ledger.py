"""The ledger (台账): append-only, one row per change of a case or of a registry record. This package alone writes
it: a case's entries come with its moves (`moves.py`), so that no state changes without its entry and no entry
claims a change that did not happen; a registry record's entries come from `record_changes`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from ground.cases.lifecycle import State
from ground.store.tables import case_transitions
from ground.store.writes import execute_in_batches, insert_frame


class Entity(StrEnum):
    CASE = "case"  # a case's move, or something that happened to it (materials received, window recomputed)
    LICENCE = "licence"  # a licence record changed: by a registry export, or renewed in our records
    SUBJECT = "subject"  # a business's registry record changed


def case_entry(
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
            entity=Entity.CASE.value,
            entity_key=key,
            old_state=old.value,
            new_state=new.value,
            reason=reason,
            actor=actor,
            details=details,
            at=at,
        )
    )


def case_entries(connection: Connection, entries: pd.DataFrame, actor: str, at: datetime, **same: Any) -> None:
    """One entry per row of `entries` (`case_id`, `entity_key`, `reason`, and the other columns that differ from
    row to row), with the `same` values on every entry, in one bulk insert."""
    insert_frame(connection, case_transitions, entries, {"entity": Entity.CASE.value, "actor": actor, "at": at, **same})


def record_changes(
    connection: Connection, entity: Entity, entries: list[dict[str, Any]], actor: str, at: datetime
) -> None:
    """Entries about registry records (each with `entity_key`, `reason`, and any of `case_id`, `old_state`,
    `new_state` — the record's status — and `details`). A case's own entries come only with its moves."""
    if entity is Entity.CASE:
        raise ValueError("a case's ledger entries are written with its moves (ground.cases.moves)")
    same = {"entity": entity.value, "actor": actor, "at": at}
    blank = {"case_id": None, "old_state": None, "new_state": None, "details": None}  # one shape for executemany
    execute_in_batches(connection, case_transitions.insert(), [blank | entry | same for entry in entries])
