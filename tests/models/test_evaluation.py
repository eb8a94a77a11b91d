"""Per-group metrics make a group the model serves worse visible; the rule baseline is scored beside the model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from domain.routing.rules import Thresholds
from models.evaluation import MIN_GROUP, evaluate


def test_a_group_the_model_ranks_badly_shows_a_lower_auc_and_small_groups_get_no_metrics() -> None:
    rng = np.random.default_rng(1)
    n = 600
    labels = rng.integers(0, 2, n)
    good = np.clip(labels * 0.6 + rng.normal(0.2, 0.1, n), 0, 1)  # separates well
    noise = rng.uniform(0, 1, n)  # separates not at all
    township = np.r_[np.full(300, "乌兰镇"), np.full(290, "苏米图苏木"), np.full(10, "小嘎查")]
    scores = np.where(township == "苏米图苏木", noise, good)
    features = pd.DataFrame(
        {
            "township": township,
            "type_label": "食品经营许可证",
            "subject_kind": "individual",
            "penalties_3y": 0,
            "inspections_failed_3y": 0,
        }
    )

    report = evaluate(features, labels, scores, Thresholds(seamless=0.7, assisted=0.5, target_precision=0.98))

    groups = {row["group"]: row for row in report["groups"]["township"]}
    assert groups["乌兰镇"]["roc_auc"] > 0.95
    assert groups["苏米图苏木"]["roc_auc"] < 0.65
    assert report["model"]["roc_auc"] < groups["乌兰镇"]["roc_auc"]
    assert groups["小嘎查"] == {"group": "小嘎查", "cases": 10}, f"groups under {MIN_GROUP} cases get only a count"
    assert report["rule_baseline"]["seamless"]["coverage"] == 1.0  # nobody has a penalty: the rule passes all
