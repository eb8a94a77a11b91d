"""Training: historical renewals as examples, a time-based split, candidate models chosen by measurement,
probability calibration chosen so that it keeps the ranking, and thresholds chosen for the seamless route's target
precision at a lower confidence bound."""

from __future__ import annotations

import logging
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
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from domain.routing.rules import Thresholds
from models.config import LabelDefinition, Split
from models.drift import reference_bins
from models.evaluation import evaluate
from models.feature_file import FeatureFile
from models.features import History, build_features, shipped_features
from models.thresholds import seamless_threshold

log = logging.getLogger(__name__)
MIN_EXAMPLES = 200
MAX_UNMATCHED_SHARE = 0.05  # outcome words the label file does not name, above which training stops
RANKING_TOLERANCE = 0.002  # the AUC isotonic calibration may lose to ties before sigmoid is preferred


class TrainingError(ValueError):
    """The history cannot train a model (too few examples, one class only); the message says what is missing."""


@dataclass(frozen=True)
class Examples:
    features: pd.DataFrame  # the feature file's features + GROUPS + FACTS
    labels: np.ndarray  # 1 = approved as filed
    as_of: pd.Series  # the date each example was decided
    spec: FeatureFile  # the feature file they were built by


@dataclass(frozen=True)
class TrainedModel:
    estimator: CalibratedClassifierCV
    thresholds: Thresholds
    evaluation: dict[str, Any]  # "test" (the newest split) and "calibration"
    details: dict[str, Any]  # split dates and sizes, candidates, reference values, drift bins


def training_examples(history: History, label: LabelDefinition, spec: FeatureFile | None = None) -> Examples:
    """One example per historical event of the label's kind with a labelled outcome, as of the day it happened."""
    events = history.events
    of_kind = events[(events["kind"] == label.event_kind) & events["licence_no"].notna()]
    check_label_words(of_kind["outcome"], label)
    chosen = of_kind[of_kind["outcome"].isin([*label.positive, *label.negative])].sort_values(
        "occurred_on", kind="stable"
    )
    targets = pd.DataFrame({"licence_no": chosen["licence_no"], "as_of": chosen["occurred_on"]}).reset_index(drop=True)
    labels = chosen["outcome"].isin(label.positive).to_numpy().astype(int)
    spec = spec or shipped_features()
    return Examples(build_features(targets, history, spec), labels, targets["as_of"], spec)


def check_label_words(outcomes: pd.Series, label: LabelDefinition) -> None:
    """The label's words against the outcomes stored for its kind of event: none matching, or more than a few
    stored words the label does not name, is a label written for another source; the error gives the counts."""
    counts = outcomes.fillna("（空）").value_counts()
    named = {*label.positive, *label.negative, *label.ignore}
    matched = int(counts[counts.index.isin([*label.positive, *label.negative])].sum())
    unnamed = counts[~counts.index.isin(named)]
    found = "; ".join(f"{word!r}: {count}" for word, count in counts.head(12).items()) or "none"
    if matched == 0:
        raise TrainingError(
            f"no stored {label.event_kind!r} event has an outcome the label file names as positive or negative "
            f"({len(outcomes)} events; their outcomes: {found})"
        )
    if unnamed.sum() > MAX_UNMATCHED_SHARE * len(outcomes):
        words = "; ".join(f"{word!r}: {count}" for word, count in unnamed.items())
        raise TrainingError(
            f"{int(unnamed.sum())} of {len(outcomes)} stored {label.event_kind!r} events have an outcome the label "
            f"file does not name ({words}); add each word to positive, negative or ignore"
        )


def time_split(as_of: pd.Series, split: Split | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks for fit, calibration and test by date — at the label file's two dates, or at its shares of the
    examples — so that no day is split between two sets."""
    split = split or Split()
    if split.calibration_from is not None and split.test_from is not None:
        first_cut, second_cut = pd.Timestamp(split.calibration_from), pd.Timestamp(split.test_from)
    else:
        first_cut, second_cut = (as_of.quantile(share) for share in np.cumsum(split.shares[:2]))
    dates = as_of.to_numpy()
    return (
        dates < first_cut,
        (dates >= first_cut) & (dates < second_cut),
        dates >= second_cut,
    )


def empty_features(x: pd.DataFrame, names: list[str]) -> list[str]:
    """Features with no value at all in these examples (a source without subject sizes, say): no model can learn
    from them, and gradient boosting's binning fails on them."""
    return [name for name in names if x[name].isna().all()]


def candidates(numeric: list[str], categorical: list[str]) -> dict[str, Pipeline]:
    """The models compared on each training run; the better calibrated-loss one is kept."""
    categorical_at = [len(numeric) + i for i in range(len(categorical))]
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
                                numeric,
                            ),
                            ("categories", OneHotEncoder(handle_unknown="ignore"), categorical),
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
                            ("numbers", "passthrough", numeric),
                            (
                                "categories",
                                OrdinalEncoder(
                                    handle_unknown="use_encoded_value",
                                    unknown_value=np.nan,
                                    encoded_missing_value=np.nan,
                                ),
                                categorical,
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


def train(
    examples: Examples, target_precision: float, assisted_min_score: float, label: LabelDefinition
) -> TrainedModel:
    _check_examples(examples)
    fit, calib, test = time_split(examples.as_of, label.split)
    _check_split(examples, (fit, calib, test))
    spec = examples.spec
    x, y = examples.features[spec.names], examples.labels
    empty = empty_features(x[fit], spec.names)
    if empty:
        log.warning("features with no value in the training examples, left out: %s", ", ".join(empty))
    numeric = [n for n in spec.numeric if n not in empty]
    categorical = [n for n in spec.categorical if n not in empty]
    losses: dict[str, float] = {}
    fitted: dict[str, Pipeline] = {}
    for name, pipeline in candidates(numeric, categorical).items():
        fitted[name] = pipeline.fit(x[fit], y[fit])
        losses[name] = float(log_loss(y[calib], fitted[name].predict_proba(x[calib])[:, 1], labels=[0, 1]))
    chosen = min(losses, key=losses.__getitem__)
    method, compared = choose_calibration(fitted[chosen], x[calib], y[calib])
    calibrated = {
        name: CalibratedClassifierCV(FrozenEstimator(fitted[chosen]), method=name).fit(x[calib], y[calib])
        for name in compared
    }
    for name, model in calibrated.items():  # reported, never chosen on: the choice was made on the calibration split
        compared[name] |= _test_ranking(y[test], model.predict_proba(x[test])[:, 1])
    estimator = calibrated[method]
    calib_scores = estimator.predict_proba(x[calib])[:, 1]
    rule = label.threshold
    thresholds = Thresholds(
        seamless=seamless_threshold(y[calib], calib_scores, target_precision, rule.min_support, rule.confidence),
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
        "calibration_compared": compared,
        "threshold_rule": rule.model_dump(),
        "candidates_log_loss": losses,
        "split": _split_summary(examples, (fit, calib, test)),
        "features_left_out": empty,
        "reference": reference_values(x[fit], spec),
        "drift_bins": reference_bins(x[fit]),
    }
    return TrainedModel(estimator, thresholds, evaluation, details)


def choose_calibration(model: Pipeline, x: pd.DataFrame, y: np.ndarray) -> tuple[str, dict[str, dict[str, Any]]]:
    """Sigmoid or isotonic, compared on the calibration split alone (5-fold: each fold calibrated on the other four):
    isotonic is kept only where its log loss is lower and its steps cost the ranking no more than RANKING_TOLERANCE
    of AUC; sigmoid is monotone and keeps the ranking whole."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    compared: dict[str, dict[str, Any]] = {}
    for method in ("sigmoid", "isotonic"):
        calibrator = CalibratedClassifierCV(FrozenEstimator(model), method=method)
        scores = cross_val_predict(calibrator, x, y, cv=folds, method="predict_proba")[:, 1]
        compared[method] = {
            "cv_log_loss": float(log_loss(y, scores, labels=[0, 1])),
            "cv_roc_auc": float(roc_auc_score(y, scores)),
        }
    sigmoid, isotonic = compared["sigmoid"], compared["isotonic"]
    keeps_ranking = isotonic["cv_roc_auc"] >= sigmoid["cv_roc_auc"] - RANKING_TOLERANCE
    return ("isotonic" if keeps_ranking and isotonic["cv_log_loss"] < sigmoid["cv_log_loss"] else "sigmoid"), compared


def _test_ranking(labels: np.ndarray, scores: np.ndarray) -> dict[str, Any]:
    both = len(np.unique(labels)) == 2
    return {
        "test_roc_auc": float(roc_auc_score(labels, scores)) if both else None,
        "test_distinct_scores": len(np.unique(scores)),
    }


def reference_values(features: pd.DataFrame, spec: FeatureFile) -> dict[str, Any]:
    """A typical licence: numeric means and the most common category. Reasons are measured against it."""
    empty = set(empty_features(features, spec.names))
    reference: dict[str, Any] = {
        name: None if name in empty else float(features[name].astype("float64").mean()) for name in spec.numeric
    }
    reference |= {name: None if name in empty else str(features[name].mode().iloc[0]) for name in spec.categorical}
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


def _check_split(examples: Examples, masks: tuple[np.ndarray, ...]) -> None:
    """Each set must hold both outcomes: a split date past the last example, or shares too thin, say so."""
    for name, mask in zip(("fit", "calibration", "test"), masks, strict=True):
        if len(np.unique(examples.labels[mask])) < 2:
            raise TrainingError(
                f"the {name} set holds {int(mask.sum())} examples, not both outcomes: check the label file's split "
                f"(examples run from {examples.as_of.min().date()} to {examples.as_of.max().date()})"
            )


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
