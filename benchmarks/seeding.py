"""Seamless cases to file, routed as scoring would route them: the one owner for the benchmarks' rows and the bots'
tests (tests/bots/conftest.py), which both take food licence cases of a scanned county."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select, update

from ground.store.tables import cases, licences

REASONS = {"rule": None, "factors": [{"factor": "penalties", "effect": 0.031, "text": "近5年无行政处罚"}]}


def route_seamless(
    engine: Engine, count: int, as_of: date, state: str = "consented", open_on: date | None = None
) -> list[int]:
    """Route `count` new food licence cases seamless whose window is open on `as_of`, their holders consenting (or
    in `state`); their ids. With `open_on` (a round on the real clock), the cases' licences are moved to expire two
    months after it, their windows open that day."""
    with engine.begin() as connection:
        ids = list(
            connection.execute(
                select(cases.c.id)
                .where(
                    cases.c.licence_type == "food_business",
                    cases.c.state == "new",
                    cases.c.window_opens_on <= as_of,
                    cases.c.window_closes_on >= as_of,
                )
                .order_by(cases.c.id)
                .limit(count)
            ).scalars()
        )
        assert len(ids) == count, f"the county has {len(ids)} food cases open on {as_of}, not {count}"
        values: dict[str, Any] = {
            "state": state,
            "route": "seamless",
            "score": 0.962,
            "model_version": "test-model",
            "reasons": REASONS,
            "consent": "given" if state == "consented" else None,
        }
        if open_on is not None and open_on != as_of:
            expiry = open_on + timedelta(days=60)
            window = {"window_opens_on": open_on - timedelta(days=5), "window_closes_on": open_on + timedelta(days=20)}
            values |= {"expires_on": expiry, **window}
            numbers = select(cases.c.licence_no).where(cases.c.id.in_(ids)).scalar_subquery()
            connection.execute(update(licences).where(licences.c.licence_no.in_(numbers)).values(expires_on=expiry))
        connection.execute(update(cases).where(cases.c.id.in_(ids)).values(values))
    return ids
