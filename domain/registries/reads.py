"""What the operator reads about the loaded registries: licences by type and status, when the valid ones expire,
the rows quarantined by reason, and subjects' names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from ground.store.tables import licences, quarantine, subjects


@dataclass(frozen=True)
class LicenceCount:
    licence_type: str
    status: str
    licences: int


def licence_counts(connection: Connection) -> list[LicenceCount]:
    """How many licences there are of each type and status, in that order."""
    columns = (licences.c.licence_type, licences.c.status)
    query = select(*columns, func.count()).group_by(*columns)
    counts = [LicenceCount(licence_type, status, n) for licence_type, status, n in connection.execute(query)]
    return sorted(counts, key=lambda c: (c.licence_type, c.status))


def valid_expiries(connection: Connection) -> list[date]:
    """The expiry day of every valid licence."""
    return list(connection.execute(select(licences.c.expires_on).where(licences.c.status == "valid")).scalars())


@dataclass(frozen=True)
class QuarantineCount:
    source: str
    reason: str
    rows: int


def quarantine_counts(connection: Connection) -> list[QuarantineCount]:
    """How many rows each source had quarantined for each reason: by source, the commonest reason first."""
    query = select(quarantine.c.source, quarantine.c.reason, func.count()).group_by(
        quarantine.c.source, quarantine.c.reason
    )
    counts = [QuarantineCount(source, reason, n) for source, reason, n in connection.execute(query)]
    return sorted(counts, key=lambda c: (c.source, -c.rows))


def subject_names(connection: Connection, keys: list[str]) -> dict[str, str]:
    """The names of the subjects with these keys (a key not in the registry is left out)."""
    if not keys:
        return {}
    query = select(subjects.c.subject_key, subjects.c.name).where(subjects.c.subject_key.in_(keys))
    return dict(connection.execute(query).tuples().all())


def valid_licence_numbers(connection: Connection, on: date) -> set[str]:
    """The licences valid on `on`: in force in the registry and not yet expired."""
    query = select(licences.c.licence_no).where(licences.c.status == "valid", licences.c.expires_on >= on)
    return {str(number) for (number,) in connection.execute(query)}
