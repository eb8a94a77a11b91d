"""Population stability: has the population being scored moved away from the one the model was trained on?"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# The features watched: the ones that carry the most weight, and the mix of licence types and subjects.
# Ages are left out on purpose: a scored population is always older than the history it was trained on.
WATCHED_NUMERIC = [
    "inspections_3y",
    "inspections_failed_3y",
    "penalties_5y",
    "complaints_upheld_3y",
    "employees",
    "revenue_10k_yuan",
]
WATCHED_CATEGORICAL = ["licence_type", "subject_kind"]
PSI_WARN = 0.25  # the conventional line for "the population has shifted"
EPSILON = 1e-4


def reference_bins(features: pd.DataFrame) -> dict[str, Any]:
    """Decile edges and shares of the watched numeric features, and category shares, on the training data."""
    bins: dict[str, Any] = {}
    for name in (n for n in WATCHED_NUMERIC if n in features):
        values = features[name].astype("float64").dropna().to_numpy()
        edges = np.unique(np.quantile(values, np.linspace(0, 1, 11)[1:-1])) if len(values) else np.array([])
        bins[name] = {"edges": edges.tolist(), "shares": _shares_numeric(values, edges).tolist()}
    for name in (n for n in WATCHED_CATEGORICAL if n in features):
        shares = features[name].astype(str).value_counts(normalize=True)
        bins[name] = {"shares": {str(k): float(v) for k, v in shares.items()}}
    return bins


def population_stability(reference: dict[str, Any], features: pd.DataFrame) -> dict[str, float]:
    """PSI of each watched feature between the training data and `features`."""
    out: dict[str, float] = {}
    for name in (n for n in WATCHED_NUMERIC if n in reference):
        edges = np.array(reference[name]["edges"])
        values = features[name].astype("float64").dropna().to_numpy()
        out[name] = _psi(np.array(reference[name]["shares"]), _shares_numeric(values, edges))
    for name in (n for n in WATCHED_CATEGORICAL if n in reference):
        expected = reference[name]["shares"]
        actual = features[name].astype(str).value_counts(normalize=True)
        keys = sorted(set(expected) | set(actual.index))
        out[name] = _psi(
            np.array([expected.get(k, 0.0) for k in keys]), np.array([float(actual.get(k, 0.0)) for k in keys])
        )
    return out


def drift_warnings(psi: dict[str, float]) -> list[str]:
    return [
        f"population drift: {name} has moved since training (PSI {value:.2f} ≥ {PSI_WARN}); "
        "scores may be less reliable: retrain with `proactive model train`"
        for name, value in psi.items()
        if value >= PSI_WARN
    ]


def _shares_numeric(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    return counts / max(len(values), 1)


def _psi(expected: np.ndarray, actual: np.ndarray) -> float:
    expected, actual = np.clip(expected, EPSILON, None), np.clip(actual, EPSILON, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
