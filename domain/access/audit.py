"""The audit log: every staff action in the console, refused ones too, written in the same transaction as the action
where there is one, so an action and its record stand or fall together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ground.store.reads import stored_moment
from ground.store.tables import staff_audit


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    username: str
    action: str
    target: str | None
    detail: dict[str, Any]
    address: str | None


def record(
    connection: Connection,
    at: datetime,
    username: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
) -> None:
    connection.execute(
        staff_audit.insert().values(
            at=at, username=username, action=action, target=target, detail=detail or {}, address=address
        )
    )


def recent(connection: Connection, limit: int = 200, username: str | None = None) -> list[AuditEntry]:
    """The latest entries first."""
    query = select(staff_audit).order_by(staff_audit.c.id.desc()).limit(limit)
    if username is not None:
        query = query.where(staff_audit.c.username == username)
    return [
        AuditEntry(
            at=stored_moment(row["at"]),
            username=row["username"],
            action=row["action"],
            target=row["target"],
            detail=row["detail"] or {},
            address=row["address"],
        )
        for row in connection.execute(query).mappings()
    ]
