"""The seamless threshold from past scores and outcomes."""

from __future__ import annotations

import numpy as np

from models.thresholds import seamless_threshold


def test_the_threshold_is_the_lowest_score_whose_cases_meet_the_target_precision() -> None:
    # 50 sure cases at 0.95+, then a band at 0.8 where 1 in 5 fails, then 0.5 where half fail
    scores = np.r_[np.linspace(0.95, 0.99, 50), np.full(50, 0.8), np.full(50, 0.5)]
    labels = np.r_[np.ones(50), np.tile([1, 1, 1, 1, 0], 10), np.tile([1, 0], 25)]

    assert seamless_threshold(labels, scores, 0.98, min_support=30) == 0.95
    assert seamless_threshold(labels, scores, 0.85, min_support=30) == 0.8  # 90 of 100 at or above 0.8


def test_tied_scores_are_never_split_by_a_threshold() -> None:
    scores = np.r_[np.full(40, 0.9), np.full(40, 0.9)]
    labels = np.r_[np.ones(40), np.zeros(40)]  # sorted so that the first 40 alone would look perfect

    assert seamless_threshold(labels, scores, 0.98, min_support=30) is None


def test_no_threshold_when_the_target_is_out_of_reach_or_rests_on_too_few_cases() -> None:
    scores = np.linspace(0, 1, 200)
    assert seamless_threshold((scores > 0.5).astype(int) * 0, scores, 0.9) is None
    assert seamless_threshold(np.r_[np.zeros(190), np.ones(10)], scores, 0.98, min_support=30) is None
