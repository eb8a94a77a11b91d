"""Scoring renewal cases: the classifier's calibrated score for each licence, and the factors that moved it, in
plain Chinese. Scores and reasons only: which way a case goes, and the legal rules that override any score, are
the domain's (`domain.routing.rules`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select

from models.artifacts import LoadedModel
from models.config import HistoryWords
from models.features import History, build_features
from models.reasons import effects, reasons
from models.store_io import read_scoring_history

# Up to this many licences, their history is read in this process: the child processes of a SQLite read cost some
# 3.6 CPU s to start, while reading here took 0.85 CPU s for 10,000 licences (47,000 events) of a generated county
# (2026-12-07). A night's new renewals are a few hundred; training and the model benchmark read millions of rows.
FEW_LICENCES = 20_000
PREDICT_ROWS = 16_384  # rows scored at a time: the boosted trees each walk every row, and a block that stays in
# the processor's cache walks them about a fifth faster than a million rows at once (same scores)


def score_frame(model: LoadedModel, history: History, licence_nos: pd.Series, as_of: date) -> pd.DataFrame:
    """Features and `score` for each licence as of a date."""
    targets = pd.DataFrame({"licence_no": licence_nos.to_numpy(), "as_of": pd.Timestamp(as_of)})
    spec = model.features
    features = build_features(targets, history, spec)
    features["score"] = _predict(model)(features[spec.names])
    return features


def score_with_reasons(
    connection: Connection,
    model: LoadedModel,
    words: HistoryWords,
    as_of: date,
    licence_nos: pd.Series,
    licences_query: Select[Any],
) -> pd.DataFrame:
    """`score_frame` for `licence_nos`, from the history of the licences `licences_query` selects (the same ones,
    so that only their history is read), with the `factors` behind each score."""
    small = len(licence_nos) <= FEW_LICENCES
    history = read_scoring_history(connection, as_of, words, licences_query, model.features, small=small)
    scored = score_frame(model, history, licence_nos, as_of)
    texts = reasons(scored, effects(_predict(model), scored, model.reference, model.features), model.features)
    scored["factors"] = pd.Series(texts, index=scored.index, dtype=object)
    return scored


def _predict(model: LoadedModel) -> Callable[[pd.DataFrame], np.ndarray]:
    def scores(x: pd.DataFrame) -> np.ndarray:
        blocks = [
            model.estimator.predict_proba(x.iloc[i : i + PREDICT_ROWS])[:, 1] for i in range(0, len(x), PREDICT_ROWS)
        ]
        return np.concatenate(blocks) if blocks else np.empty(0)

    return scores
