"""A case's lease: which round is at work on it and until when. Several rounds on one matter (workers on other
machines) each take a case only while no other holds a live lease on it, by compare-and-set in the database; a
round that dies keeps its cases only until their leases run out. The rule is the pure functions here; `claimable`
is the same rule as a SQL condition, for the rounds' selection of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, or_

from ground.store.tables import cases


def expired(lease_until: datetime | None, now: datetime) -> bool:
    """Whether a lease has run out (no lease at all counts as run out)."""
    return lease_until is None or lease_until <= now


def may_claim(claimed_by: str | None, lease_until: datetime | None, me: str, now: datetime) -> bool:
    """Whether round `me` may take the case: nobody holds it, its holder's lease has run out, or `me` holds it."""
    return claimed_by is None or claimed_by == me or expired(lease_until, now)


def lease_end(now: datetime, seconds: float) -> datetime:
    """Until when a lease taken (or renewed) at `now` holds; in UTC, as the store compares it."""
    return (now + timedelta(seconds=seconds)).astimezone(UTC)


def utc(moment: datetime | None) -> datetime | None:
    """A lease's time as read back: SQLite gives the stored UTC time without its zone."""
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def run_out(now: datetime) -> ColumnElement[bool]:
    """`expired` in SQL, on the cases table."""
    return or_(cases.c.lease_until.is_(None), cases.c.lease_until <= now.astimezone(UTC))


def claimable(me: str, now: datetime) -> ColumnElement[bool]:
    """`may_claim` in SQL, on the cases table: for the rounds' selection of the cases they may take."""
    return or_(cases.c.claimed_by.is_(None), cases.c.claimed_by == me, run_out(now))
