"""One policy over the whole population on one date: who qualifies and for how much (exclusions come after)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from domain.policies.amounts import amounts, payable
from domain.policies.conditions import condition_mask
from domain.policies.model import Policy
from domain.policies.population import Population
from domain.policies.resolution import Resolution, resolve


@dataclass(frozen=True)
class Outcome:
    resolution: Resolution
    rows: NDArray[np.int64]  # the subjects (positions in the population) meeting every condition, amount > 0
    amounts: NDArray[np.int64]  # whole yuan, one per row

    @property
    def policy(self) -> Policy:
        return self.resolution.policy

    @property
    def period(self) -> str:
        return self.resolution.span.label


def qualifying(resolution: Resolution, population: Population) -> NDArray[np.bool_]:
    """The subjects meeting every condition. Each condition is one vectorised test over all subjects."""
    mask = np.ones(len(population), dtype=bool)
    for condition in resolution.policy.conditions:
        required = resolution.required(condition.value)
        mask &= condition_mask(condition, population, required, resolution.span, resolution.as_of)
    return mask


def evaluate(policy: Policy, population: Population, as_of: date) -> Outcome:
    """Raises NotApplicable when the policy cannot be matched on `as_of`."""
    resolution = resolve(policy, as_of)
    rows = np.flatnonzero(qualifying(resolution, population))
    paid = payable(resolution, amounts(resolution, population, rows))
    keep = paid > 0  # a zero amount (below the first tier, a missing input) pays nothing: no case
    return Outcome(resolution, rows[keep], paid[keep])
