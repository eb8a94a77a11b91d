"""Recording the routes decided by `domain.routing.rules` on the waiting renewal cases: route, score and reasons
on each case, and a ledger entry saying which rule or which threshold decided, through the lifecycle's bulk move."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, select

from domain.routing.rules import Thresholds
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.cases.moves import move_cases
from ground.store.reads import query_frame
from ground.store.tables import cases

ACTOR = "scoring"
WAITING = (cases.c.kind == Kind.RENEWAL.value, cases.c.state == State.NEW.value)  # renewals not yet routed


def waiting_licences() -> Select[Any]:
    """The licence numbers of the renewal cases waiting to be routed."""
    return select(cases.c.licence_no).where(*WAITING)


def waiting_cases(connection: Connection) -> pd.DataFrame:
    """The renewal cases waiting to be routed: `id`, `natural_key`, `licence_no`."""
    query = select(cases.c.id, cases.c.natural_key, cases.c.licence_no).where(*WAITING)
    return query_frame(connection, query, dates=[])


def record_routes(
    connection: Connection,
    waiting: pd.DataFrame,
    scored: pd.DataFrame,
    decided: pd.DataFrame,
    model_version: str,
    thresholds: Thresholds,
    at: datetime,
) -> None:
    """Route the `waiting` cases (rows in the order of `scored`, with its `score` and `factors`, and of `decided`):
    route, score and reasons on each case, and the ledger entry saying what decided it."""
    rules = [rule if isinstance(rule, str) else None for rule in decided["rule"]]
    factors, scores, routes = scored["factors"].tolist(), scored["score"].to_numpy(), decided["route"].tolist()
    moves = pd.DataFrame(
        {
            "id": waiting["id"].to_numpy(),
            "natural_key": waiting["natural_key"].to_numpy(),
            "state": State.NEW.value,
            "reason": [
                _ledger_reason(r, s, rule, thresholds) for r, s, rule in zip(routes, scores, rules, strict=True)
            ],
            "details": [{"score": round(float(s), 4), "factors": f} for s, f in zip(scores, factors, strict=True)],
            "route": routes,
            "score": scores,
            "reasons": [{"rule": rule, "factors": f} for rule, f in zip(rules, factors, strict=True)],
        }
    )
    move_cases(connection, moves, State.ROUTED, f"{ACTOR}:{model_version}", at, model_version=model_version)


def _ledger_reason(route: str, score: float, rule: str | None, thresholds: Thresholds) -> str:
    if rule is not None:
        return f"route {route}: hard rule — {rule} (score {score:.3f} not used)"
    bound = {
        Route.SEAMLESS.value: f"≥ seamless threshold {thresholds.seamless:.3f}"
        if thresholds.seamless is not None
        else "",
        Route.ASSISTED.value: f"≥ assisted threshold {thresholds.assisted:.3f}",
        Route.REMIND.value: f"< assisted threshold {thresholds.assisted:.3f}",
    }[route]
    return f"route {route}: score {score:.3f} {bound}"
