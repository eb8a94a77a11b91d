"""What is read about renewal cases' holders from the registry's licences."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select

from ground.cases.lifecycle import State
from ground.store.tables import cases, licences


def first_holder_mobile(connection: Connection, states: Collection[State]) -> str | None:
    """The mobile on the licence of the oldest case in one of `states` whose licence has one, or None."""
    query = (
        select(licences.c.mobile)
        .join(cases, cases.c.licence_no == licences.c.licence_no)
        .where(cases.c.state.in_([state.value for state in states]), licences.c.mobile.is_not(None))
        .order_by(cases.c.id)
        .limit(1)
    )
    mobile: str | None = connection.execute(query).scalar()
    return mobile
