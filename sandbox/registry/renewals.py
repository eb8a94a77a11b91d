"""Outcomes of earlier renewals (延续), drawn from what the registries knew before each renewal date.

The features are computed here from the generated history; the weights that turn them into an outcome are in
`_hidden_process` and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from sandbox.registry._hidden_process import _HIDDEN_RENEWAL_PROCESS
from sandbox.registry.days import Days

APPROVED, APPROVED_AFTER_CORRECTION, REFUSED = 0, 1, 2
_DAY_BITS = 16  # days since 1970 fit in 16 bits until 2149


class Timeline:
    """Dated events of one kind per licence (or subject), for counting those in a window of days fast."""

    def __init__(self, owner: NDArray[np.int64], day: Days, weight: NDArray[np.float64] | None = None) -> None:
        keys = (owner.astype(np.int64) << _DAY_BITS) | day.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        w = np.ones(len(keys)) if weight is None else weight[order]
        self._cumulative = np.concatenate([[0.0], np.cumsum(w)])

    def total(self, owner: NDArray[np.int64], first_day: Days, end_day: Days) -> NDArray[np.float64]:
        """Sum of weights (or count) of `owner`'s events with first_day <= day < end_day."""
        base = owner.astype(np.int64) << _DAY_BITS
        lo = np.searchsorted(self._keys, base | np.maximum(first_day, 0).astype(np.int64))
        hi = np.searchsorted(self._keys, base | np.maximum(end_day, 0).astype(np.int64))
        result: NDArray[np.float64] = self._cumulative[hi] - self._cumulative[lo]
        return result


@dataclass(frozen=True)
class RenewalFeatures:
    """What was on record before each renewal date; one element per earlier 延续 event."""

    failed_inspections_3y: NDArray[np.float64]
    partly_compliant_inspections_3y: NDArray[np.float64]
    no_inspection_3y: NDArray[np.float64]
    penalty_weight_5y: NDArray[np.float64]
    open_penalties: NDArray[np.float64]
    changes_in_term: NDArray[np.float64]
    true_complaints_3y: NDArray[np.float64]
    abnormal_list_on_date: NDArray[np.float64]
    individual_business: NDArray[np.float64]
    no_valid_mobile: NDArray[np.float64]
    drug_licence: NDArray[np.float64]
    tobacco_licence: NDArray[np.float64]


def draw_outcomes(rng: np.random.Generator, features: RenewalFeatures, clean: NDArray[np.bool_]) -> NDArray[np.int8]:
    """准予延续 / 补正后准予 / 不予延续 (APPROVED / APPROVED_AFTER_CORRECTION / REFUSED) per renewal.

    `clean` marks renewals with nothing against them in the history (see `events._renewal_features`).
    """
    process = _HIDDEN_RENEWAL_PROCESS
    n = len(features.failed_inspections_3y)
    score = np.full(n, process.intercept)
    for field in fields(features):
        score += getattr(process, field.name) * getattr(features, field.name)
    score += np.where(clean, process.clean_history, 0.0)
    score += rng.logistic(0.0, np.where(clean, process.clean_noise_scale, process.noise_scale), n)
    outcome = np.where(
        score < process.approve_below,
        APPROVED,
        np.where(score < process.refuse_from, APPROVED_AFTER_CORRECTION, REFUSED),
    )
    return outcome.astype(np.int8)


def penalty_weights(severity: NDArray[np.int8]) -> NDArray[np.float64]:
    """Weight of each penalty in the score, by severity index (一般, 较重, 严重)."""
    return np.asarray(_HIDDEN_RENEWAL_PROCESS.severity_weights, dtype=np.float64)[severity]
