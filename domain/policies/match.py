"""Matching every policy against every subject on one date — pure: arrays in, matches out, nothing stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from domain.policies.evaluate import Outcome, evaluate
from domain.policies.exclusions import CANDIDATE_COLUMNS, HISTORY_COLUMNS, apply_exclusions
from domain.policies.model import Policy
from domain.policies.population import Population
from domain.policies.resolution import NotApplicable
from domain.policies.trace import explain


@dataclass(frozen=True)
class Matches:
    as_of: date
    population: Population
    outcomes: dict[str, Outcome]  # per policy matched: who met its conditions, before exclusions
    granted: pd.DataFrame  # row, policy_id, period, amount_yuan: one future case each
    excluded: pd.DataFrame  # the same columns + reason: met the conditions but excluded
    skipped: dict[str, str]  # policy id → why it was not matched on this date

    def traces(self, policy_id: str, rows: NDArray[np.int64]) -> list[dict[str, Any]]:
        """The traces of one matched policy's subjects at `rows`, with the exclusions that applied to them."""
        excluded = self.excluded[self.excluded["policy_id"] == policy_id]
        reasons = dict(zip(excluded["row"].tolist(), excluded["reason"].tolist(), strict=True))
        return explain(self.outcomes[policy_id].resolution, self.population, rows, reasons)

    def tally(self) -> pd.DataFrame:
        """Per policy matched: subjects granted and the total amount, and those excluded."""
        granted = self.granted.groupby("policy_id")["amount_yuan"].agg(["size", "sum"])
        excluded = self.excluded.groupby("policy_id").size()
        frame = pd.DataFrame(index=pd.Index(sorted(self.outcomes), name="policy_id"))
        frame["matches"] = granted["size"].reindex(frame.index, fill_value=0).astype(int)
        frame["amount_yuan"] = granted["sum"].reindex(frame.index, fill_value=0).astype(int)
        frame["excluded"] = excluded.reindex(frame.index, fill_value=0).astype(int)
        return frame


def empty_history() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in HISTORY_COLUMNS})


def match(
    policies: Iterable[Policy], population: Population, as_of: date, history: pd.DataFrame | None = None
) -> Matches:
    """Every policy in force on `as_of` over all subjects, then the exclusions against each other and `history`
    (earlier subsidy cases still standing: subject_key, policy_id, period, paid)."""
    by_id = {policy.id: policy for policy in policies}
    outcomes: dict[str, Outcome] = {}
    skipped: dict[str, str] = {}
    for policy_id, policy in by_id.items():
        try:
            outcomes[policy_id] = evaluate(policy, population, as_of)
        except NotApplicable as exc:
            skipped[policy_id] = str(exc)
    candidates = pd.concat([_candidates(outcome) for outcome in outcomes.values()] or [_candidates(None)])
    candidates = candidates.reset_index(drop=True)
    known = _with_rows(history if history is not None else empty_history(), population)
    granted, excluded = apply_exclusions(candidates, known, {p: by_id[p] for p in outcomes})
    return Matches(as_of, population, outcomes, granted, excluded, skipped)


def _candidates(outcome: Outcome | None) -> pd.DataFrame:
    if outcome is None:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in CANDIDATE_COLUMNS}).astype(
            {"row": np.int64, "amount_yuan": np.int64}
        )
    return pd.DataFrame(
        {
            "row": outcome.rows,
            "policy_id": outcome.policy.id,
            "period": outcome.period,
            "amount_yuan": outcome.amounts,
        }
    )


def _with_rows(history: pd.DataFrame, population: Population) -> pd.DataFrame:
    """History rows of subjects in the population, with their positions (a subject gone from it has none)."""
    rows = pd.Index(population.keys).get_indexer(pd.Index(history["subject_key"]))
    return history.assign(row=rows)[rows >= 0]
