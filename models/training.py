"""Training: historical renewals as examples, a time-based split, candidate models chosen by measurement,
probability calibration, and thresholds chosen for the seamless route's target precision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from domain.routing.rules import Thresholds
from models.config import LabelDefinition
from models.drift import reference_bins
from models.evaluation import evaluate
from models.features import CATEGORICAL, FEATURES, NUMERIC, History, build_features
from models.thresholds import seamless_threshold

SPLIT = (0.6, 0.8)  # oldest 60 % fit the models, the next 20 % choose and calibrate, the newest 20 % evaluate
MIN_EXAMPLES = 200


class TrainingError(ValueError):
    """The history cannot train a model (too few examples, one class only); the message says what is missing."""


@dataclass(frozen=True)
class Examples:
    features: pd.DataFrame  # FEATURES + GROUPS + FACTS
    labels: np.ndarray  # 1 = approved as filed
    as_of: pd.Series  # the date each example was decided


@dataclass(frozen=True)
class TrainedModel:
    estimator: CalibratedClassifierCV
    thresholds: Thresholds
    evaluation: dict[str, Any]  # "test" (the newest split) and "calibration"
    details: dict[str, Any]  # split dates and sizes, candidates, reference values, drift bins


def training_examples(history: History, label: LabelDefinition) -> Examples:
    """One example per historical event of the label's kind with a labelled outcome, as of the day it happened."""
    events = history.events
    chosen = events[
        (events["kind"] == label.event_kind)
        & events["outcome"].isin([*label.positive, *label.negative])
        & events["licence_no"].notna()
    ].sort_values("occurred_on", kind="stable")
    targets = pd.DataFrame({"licence_no": chosen["licence_no"], "as_of": chosen["occurred_on"]}).reset_index(drop=True)
    labels = chosen["outcome"].isin(label.positive).to_numpy().astype(int)
    return Examples(build_features(targets, history), labels, targets["as_of"])


def time_split(as_of: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks for fit, calibration and test by date: no day is split between two sets."""
    first_cut, second_cut = (as_of.quantile(share) for share in SPLIT)
    dates = as_of.to_numpy()
    return (
        dates < first_cut,
        (dates >= first_cut) & (dates < second_cut),
        dates >= second_cut,
    )


def candidates() -> dict[str, Pipeline]:
    """The models compared on each training run; the better calibrated-loss one is kept."""
    categorical_at = [len(NUMERIC) + i for i in range(len(CATEGORICAL))]
    return {
        "logistic_regression": Pipeline(
            [
                (
                    "prepare",
                    ColumnTransformer(
                        [
                            (
                                "numbers",
                                Pipeline(
                                    [
                                        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
                                        ("scale", StandardScaler()),
                                    ]
                                ),
                                list(NUMERIC),
                            ),
                            ("categories", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL)),
                        ]
                    ),
                ),
                ("model", LogisticRegression(max_iter=2000, C=1.0)),
            ]
        ),
        "gradient_boosting": Pipeline(
            [
                (
                    "prepare",
                    ColumnTransformer(
                        [
                            ("numbers", "passthrough", list(NUMERIC)),
                            (
                                "categories",
                                OrdinalEncoder(
                                    handle_unknown="use_encoded_value",
                                    unknown_value=np.nan,
                                    encoded_missing_value=np.nan,
                                ),
                                list(CATEGORICAL),
                            ),
                        ]
                    ),
                ),
                (
                    "model",
                    HistGradientBoostingClassifier(
                        # Measured on the generated county: 0.05 stopped at ~136 trees, 0.2 at ~45 with the same AUC
                        # (0.778 against 0.776-0.778); scoring walks every tree per licence, so fewer trees score a
                        # million licences in a third of the time.
                        learning_rate=0.2,
                        max_iter=300,
                        max_leaf_nodes=15,
                        l2_regularization=1.0,
                        categorical_features=categorical_at,
                        early_stopping=True,
                        random_state=0,
                    ),
                ),
            ]
        ),
    }


def train(examples: Examples, target_precision: float, assisted_min_score: float) -> TrainedModel:
    _check_examples(examples)
    fit, calib, test = time_split(examples.as_of)
    x, y = examples.features[FEATURES], examples.labels
    losses: dict[str, float] = {}
    fitted: dict[str, Pipeline] = {}
    for name, pipeline in candidates().items():
        fitted[name] = pipeline.fit(x[fit], y[fit])
        losses[name] = float(log_loss(y[calib], fitted[name].predict_proba(x[calib])[:, 1], labels=[0, 1]))
    chosen = min(losses, key=losses.__getitem__)
    method = "isotonic" if calib.sum() >= 1000 else "sigmoid"  # isotonic needs many cases not to overfit
    estimator = CalibratedClassifierCV(FrozenEstimator(fitted[chosen]), method=method).fit(x[calib], y[calib])
    calib_scores = estimator.predict_proba(x[calib])[:, 1]
    thresholds = Thresholds(
        seamless=seamless_threshold(y[calib], calib_scores, target_precision),
        assisted=assisted_min_score,
        target_precision=target_precision,
    )
    test_scores = estimator.predict_proba(x[test])[:, 1]
    evaluation = {
        "test": evaluate(examples.features[test], y[test], test_scores, thresholds),
        "calibration": evaluate(examples.features[calib], y[calib], calib_scores, thresholds),
    }
    details = {
        "chosen": chosen,
        "calibration_method": method,
        "candidates_log_loss": losses,
        "split": _split_summary(examples, (fit, calib, test)),
        "reference": reference_values(x[fit]),
        "drift_bins": reference_bins(x[fit]),
    }
    return TrainedModel(estimator, thresholds, evaluation, details)


def reference_values(features: pd.DataFrame) -> dict[str, Any]:
    """A typical licence: numeric means and the most common category. Reasons are measured against it."""
    reference: dict[str, Any] = {name: float(features[name].astype("float64").mean()) for name in NUMERIC}
    reference |= {name: str(features[name].mode().iloc[0]) for name in CATEGORICAL}
    return reference


def _check_examples(examples: Examples) -> None:
    if len(examples.labels) < MIN_EXAMPLES:
        raise TrainingError(
            f"only {len(examples.labels)} labelled renewals in the store; at least {MIN_EXAMPLES} are needed "
            "(load the registry's history events first)"
        )
    if len(np.unique(examples.labels)) < 2:
        raise TrainingError("every labelled renewal has the same outcome; check the label file's outcome words")
    if examples.as_of.nunique() < 3:
        raise TrainingError("the labelled renewals fall on fewer than 3 days; a time-based split is impossible")


def _split_summary(examples: Examples, masks: tuple[np.ndarray, ...]) -> dict[str, Any]:
    summary = {}
    for name, mask in zip(("fit", "calibration", "test"), masks, strict=True):
        dates = examples.as_of[mask]
        summary[name] = {
            "cases": int(mask.sum()),
            "from": str(dates.min().date()),
            "to": str(dates.max().date()),
            "approved_as_filed": float(examples.labels[mask].mean()),
        }
    return summary
