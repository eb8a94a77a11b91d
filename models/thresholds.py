"""Route thresholds from scores and outcomes, and the route of one case. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

MIN_SEAMLESS_SUPPORT = 30  # a threshold resting on fewer cases than this is not trusted


class Route(StrEnum):
    SEAMLESS = "seamless"  # pre-fill on the platform; an approver confirms
    ASSISTED = "assisted"  # one notice listing what is needed; staff help
    REMIND = "remind"  # reminders before expiry
    NONE = "none"  # no renewal: the licence or its holder is gone


@dataclass(frozen=True)
class Thresholds:
    seamless: float | None  # None: no score reached the target precision, so nothing is routed seamless
    assisted: float
    target_precision: float


def seamless_threshold(
    labels: np.ndarray, scores: np.ndarray, target_precision: float, min_support: int = MIN_SEAMLESS_SUPPORT
) -> float | None:
    """The lowest score at which the cases scoring at least that much were approved as filed at the target
    precision or better, over at least `min_support` cases (the most coverage the target allows)."""
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_labels = scores[order], labels[order].astype(float)
    # Only a cut between different scores is a threshold: tied cases go to the same side.
    last_of_tie = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    taken = np.arange(1, len(scores) + 1)[last_of_tie]
    precision = np.cumsum(sorted_labels)[last_of_tie] / taken
    allowed = (precision >= target_precision) & (taken >= min_support)
    if not allowed.any():
        return None
    return float(sorted_scores[last_of_tie][np.flatnonzero(allowed)[-1]])


def route_for(score: float, thresholds: Thresholds) -> Route:
    if thresholds.seamless is not None and score >= thresholds.seamless:
        return Route.SEAMLESS
    return Route.ASSISTED if score >= thresholds.assisted else Route.REMIND


def routes_for(scores: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    """`route_for` over an array of scores."""
    seamless = thresholds.seamless if thresholds.seamless is not None else np.inf
    return np.where(
        scores >= seamless,
        Route.SEAMLESS.value,
        np.where(scores >= thresholds.assisted, Route.ASSISTED.value, Route.REMIND.value),
    )
