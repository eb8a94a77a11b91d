"""The seamless threshold from past scores and outcomes: the model's side of routing (`domain.routing.rules` applies
it)."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

MIN_SEAMLESS_SUPPORT = 30  # a threshold resting on fewer cases than this is not trusted


def seamless_threshold(
    labels: np.ndarray,
    scores: np.ndarray,
    target_precision: float,
    min_support: int = MIN_SEAMLESS_SUPPORT,
    confidence: float = 0.8,
) -> float | None:
    """The lowest score at which the cases scoring at least that much were approved as filed at the target
    precision or better — at the lower bound of the precision's Wilson interval, so that 31 of 31 does not pass for
    certainty — over at least `min_support` cases (the most coverage the target allows)."""
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_labels = scores[order], labels[order].astype(float)
    # Only a cut between different scores is a threshold: tied cases go to the same side.
    last_of_tie = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    taken = np.arange(1, len(scores) + 1)[last_of_tie]
    approved = np.cumsum(sorted_labels)[last_of_tie]
    allowed = (wilson_lower(approved, taken, confidence) >= target_precision) & (taken >= min_support)
    if not allowed.any():
        return None
    return float(sorted_scores[last_of_tie][np.flatnonzero(allowed)[-1]])


def wilson_lower(successes: np.ndarray, trials: np.ndarray, confidence: float) -> np.ndarray:
    """The one-sided lower bound of the Wilson score interval for a proportion (Wilson 1927; Brown, Cai and DasGupta
    2001 recommend it for small samples and proportions near 1, where the normal approximation claims too much)."""
    z = NormalDist().inv_cdf(confidence)
    n = np.asarray(trials, dtype=float)
    p = np.asarray(successes, dtype=float) / n
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lower: np.ndarray = (centre - spread) / (1 + z * z / n)
    return lower
