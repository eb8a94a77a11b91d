"""Routing new renewal cases: the classifier's scores and reasons (`models`) handed to the legal rules and the
thresholds (`domain.routing`), which route the cases and record why, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from domain.routing.record import record_routes, waiting_cases, waiting_licences
from domain.routing.rules import decide_routes
from models.artifacts import LoadedModel
from models.config import HistoryWords
from models.drift import drift_warnings, population_stability
from models.scoring import score_with_reasons


@dataclass
class RoutingReport:
    model_version: str | None
    scored: int = 0
    by_route: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)
    drift: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, Any]:
        return {"scored": self.scored, "by_route": self.by_route, "by_rule": self.by_rule}


def route_new_renewals(
    engine: Engine,
    model: LoadedModel,
    words: HistoryWords,
    as_of: date,
    now: datetime,
    offline_types: frozenset[str] = frozenset(),
) -> RoutingReport:
    """Score and route every renewal case waiting to be routed, recording score, reasons and model version on the
    case and in the ledger. `offline_types`: licence types whose renewal the platform does not file online."""
    report = RoutingReport(model_version=model.version)
    with engine.begin() as connection:
        waiting = waiting_cases(connection)
        if waiting.empty:
            return report
        scored = score_with_reasons(connection, model, words, as_of, waiting["licence_no"], waiting_licences())
        decided = decide_routes(scored, model.thresholds, offline_types)
        record_routes(connection, waiting, scored, decided, model.version, model.thresholds, now)
    report.scored = len(scored)
    report.by_route, report.by_rule = _counts(decided["route"]), _counts(decided["rule"])
    report.drift = population_stability(model.metadata["details"]["drift_bins"], scored)
    report.warnings = drift_warnings(report.drift)
    return report


def _counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in values.value_counts().items()}
