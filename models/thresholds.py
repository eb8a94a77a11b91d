"""The seamless threshold from past scores and outcomes: the model's side of routing (`domain.routing.rules` applies
it)."""

from __future__ import annotations

import numpy as np

MIN_SEAMLESS_SUPPORT = 30  # a threshold resting on fewer cases than this is not trusted


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
