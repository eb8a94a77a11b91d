"""How good the scores are: discrimination, calibration, the routes' precision and coverage — overall, per group
and against a plain rule. Pure functions of labels and scores."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from domain.routing.rules import Thresholds, routes_for
from ground.cases.kinds import Route
from models.features import GROUPS

MIN_GROUP = 30  # smaller groups are listed with their size but no metrics: too few to say anything


def rule_baseline(features: pd.DataFrame) -> np.ndarray:
    """The rule a bureau would use by hand: no penalty and no failed inspection in the last 3 years."""
    return ((features["penalties_3y"] == 0) & (features["inspections_failed_3y"] == 0)).to_numpy()


def score_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float | None]:
    both = len(np.unique(labels)) == 2
    return {
        "roc_auc": float(roc_auc_score(labels, scores)) if both else None,
        "pr_auc": float(average_precision_score(labels, scores)) if both else None,
        "brier": float(brier_score_loss(labels, scores)),
        "log_loss": float(log_loss(labels, np.clip(scores, 1e-6, 1 - 1e-6), labels=[0, 1])),
    }


def route_metrics(labels: np.ndarray, routes: np.ndarray) -> dict[str, dict[str, float | int | None]]:
    """Per route: how many cases, what share of all, and how many of them were in fact approved as filed."""
    out: dict[str, dict[str, float | int | None]] = {}
    for route in (Route.SEAMLESS, Route.ASSISTED, Route.REMIND):
        chosen = routes == route.value
        count = int(chosen.sum())
        out[route.value] = {
            "cases": count,
            "coverage": count / len(labels) if len(labels) else None,
            "precision": float(labels[chosen].mean()) if count else None,
        }
    return out


def calibration(labels: np.ndarray, scores: np.ndarray, bins: int = 10) -> dict[str, list[float]]:
    observed, predicted = calibration_curve(labels, scores, n_bins=bins, strategy="quantile")
    return {"predicted": predicted.tolist(), "observed": observed.tolist()}


def evaluate(features: pd.DataFrame, labels: np.ndarray, scores: np.ndarray, thresholds: Thresholds) -> dict[str, Any]:
    """The whole evaluation of one split: the model, the rule baseline, and every group."""
    routes = routes_for(scores, thresholds)
    rule = rule_baseline(features)
    return {
        "cases": len(labels),
        "approved_as_filed": float(labels.mean()) if len(labels) else None,
        "model": score_metrics(labels, scores) | {"routes": route_metrics(labels, routes)},
        "calibration": calibration(labels, scores),
        "rule_baseline": {
            "rule": "近3年无行政处罚且无检查不合格 → 无感续证",
            "roc_auc": float(roc_auc_score(labels, rule)) if len(np.unique(labels)) == 2 else None,
            Route.SEAMLESS.value: {
                "cases": int(rule.sum()),
                "coverage": float(rule.mean()),
                "precision": float(labels[rule].mean()) if rule.any() else None,
            },
        },
        "groups": {group: per_group(features[group], labels, scores, routes) for group in GROUPS},
    }


def per_group(values: pd.Series, labels: np.ndarray, scores: np.ndarray, routes: np.ndarray) -> list[dict[str, Any]]:
    """The same metrics inside each group, largest first, so a group the model serves worse stands out."""
    rows = []
    for value, index in values.groupby(values.to_numpy()).indices.items():
        row: dict[str, Any] = {"group": str(value), "cases": len(index)}
        if len(index) >= MIN_GROUP:
            group_labels, group_routes = labels[index], routes[index]
            seamless = group_routes == Route.SEAMLESS.value
            row |= score_metrics(group_labels, scores[index]) | {
                "approved_as_filed": float(group_labels.mean()),
                "mean_score": float(scores[index].mean()),
                "seamless_coverage": float(seamless.mean()),
                "seamless_precision": float(group_labels[seamless].mean()) if seamless.any() else None,
            }
        rows.append(row)
    return sorted(rows, key=lambda r: -int(r["cases"]))
