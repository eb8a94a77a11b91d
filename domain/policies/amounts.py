"""The amount each qualifying subject is paid: fixed, by tiers of an attribute, or a formula; capped; whole yuan
(rounded down: the treasury pays whole yuan, and never more than the rule gives)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from domain.policies.model import Tier
from domain.policies.population import Population
from domain.policies.resolution import Resolution


def amounts(resolution: Resolution, population: Population, rows: NDArray[np.int64]) -> NDArray[np.float64]:
    """Uncapped amounts for the subjects at `rows` (NaN where an input is missing)."""
    amount = resolution.policy.amount
    if amount.fixed is not None:
        return np.full(len(rows), float(resolution.required(amount.fixed)))
    if amount.tiered is not None:
        values = population.columns[amount.tiered.attribute][rows]
        return tier_amounts(resolution.required(amount.tiered.tiers), values)
    formula = amount.parsed_formula
    inputs = {name: formula_input(resolution, population, name, rows) for name in formula.names}
    with np.errstate(divide="ignore", invalid="ignore"):
        result = formula.evaluate(inputs)
    return np.broadcast_to(np.asarray(result, dtype=np.float64), (len(rows),)).copy()


def formula_input(resolution: Resolution, population: Population, name: str, rows: NDArray[np.int64]) -> Any:
    """A formula name's values: a parameter's value in force, else the attribute's values at `rows`."""
    if name in resolution.values:
        return float(resolution.values[name].value)  # type: ignore[arg-type]
    return population.columns[name][rows]


def tier_amounts(tiers: list[Tier], values: NDArray[np.float64]) -> NDArray[np.float64]:
    """The amount of the highest tier each value reaches; NaN below the first tier or for a missing value."""
    thresholds = np.array([tier.at_least for tier in tiers], dtype=np.float64)
    paid = np.array([tier.amount for tier in tiers], dtype=np.float64)
    index = np.searchsorted(thresholds, values, side="right") - 1
    reached = (index >= 0) & ~np.isnan(values)
    return np.where(reached, paid[np.clip(index, 0, None)], np.nan)


def payable(resolution: Resolution, uncapped: NDArray[np.float64]) -> NDArray[np.int64]:
    """Capped, rounded down to whole yuan; 0 where nothing can be paid (a missing input, a negative result, a
    division by zero)."""
    cap = resolution.policy.amount.cap
    # Not a number before the cap: otherwise a division by zero (inf) would be capped into the maximum payment.
    defined = np.where(np.isfinite(uncapped), uncapped, np.nan)
    capped = defined if cap is None else np.minimum(defined, float(resolution.required(cap)))
    whole = np.floor(np.nan_to_num(capped, nan=0.0))
    result: NDArray[np.int64] = np.maximum(whole, 0).astype(np.int64)
    return result
