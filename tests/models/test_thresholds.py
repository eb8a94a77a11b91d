"""The seamless threshold from past scores and outcomes: the target precision must hold at the lower bound of its
confidence interval, over enough cases."""

from __future__ import annotations

import numpy as np
import pytest

from models.thresholds import seamless_threshold, wilson_lower


def test_the_threshold_is_the_lowest_score_whose_cases_meet_the_target_precision_with_confidence() -> None:
    # 600 sure cases at 0.95+, then a band at 0.8 where 1 in 5 fails, then 0.5 where half fail
    scores = np.r_[np.linspace(0.95, 0.99, 600), np.full(100, 0.8), np.full(100, 0.5)]
    labels = np.r_[np.ones(600), np.tile([1, 1, 1, 1, 0], 20), np.tile([1, 0], 50)]

    assert seamless_threshold(labels, scores, 0.98) == 0.95
    assert seamless_threshold(labels, scores, 0.95) == 0.8  # 680 of 700 at or above 0.8: 97.1 %, at least 96.6 %


def test_a_perfect_record_on_a_few_cases_is_not_certainty() -> None:
    """31 of 31 approved at a score of 1.000 looks like 100 %; its lower bound is 97.8 % (80 % confidence, the
    default) or 92.0 % (95 %), short of 98 % either way."""
    scores = np.r_[np.ones(31), np.linspace(0.2, 0.9, 300)]
    labels = np.r_[np.ones(31), np.tile([1, 0, 0], 100)]

    assert seamless_threshold(labels, scores, 0.98, min_support=30) is None
    assert seamless_threshold(labels, scores, 0.98, min_support=30, confidence=0.51) == 1.0  # as a point estimate
    assert seamless_threshold(labels, scores, 0.95, min_support=30) == 1.0  # a lower target it does meet
    assert wilson_lower(np.array([31]), np.array([31]), 0.95)[0] == pytest.approx(0.9198, abs=1e-3)


def test_tied_scores_are_never_split_by_a_threshold() -> None:
    scores = np.r_[np.full(400, 0.9), np.full(400, 0.9)]
    labels = np.r_[np.ones(400), np.zeros(400)]  # sorted so that the first 400 alone would look perfect

    assert seamless_threshold(labels, scores, 0.98) is None


def test_no_threshold_when_the_target_is_out_of_reach_or_rests_on_too_few_cases() -> None:
    scores = np.linspace(0, 1, 2000)
    assert seamless_threshold(np.zeros(2000), scores, 0.9) is None
    assert seamless_threshold(np.r_[np.zeros(1990), np.ones(10)], scores, 0.5, min_support=30) is None
