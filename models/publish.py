"""Training a model from the store and publishing it with its report and model card — or reusing the current one
when it was trained on exactly the same history with the same definitions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from models.artifacts import LoadedModel, ModelArtifactError, load_current, load_model, publish, save_model
from models.config import HistoryWords, LabelDefinition
from models.feature_file import FeatureFile
from models.features import shipped_features
from models.report import write_reports
from models.store_io import read_history
from models.training import Examples, train, training_examples


@dataclass(frozen=True)
class TrainingResult:
    model: LoadedModel
    reused: bool  # True: the current model already describes this history; nothing was trained


def fingerprint(examples: Examples, words: HistoryWords, label: LabelDefinition) -> str:
    """A digest of exactly what a model learns from: the examples, their labels and the two definitions."""
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(examples.features[examples.spec.names], index=False).to_numpy().tobytes())
    digest.update(examples.labels.tobytes())
    digest.update(pd.util.hash_pandas_object(examples.as_of, index=False).to_numpy().tobytes())
    digest.update(words.model_dump_json().encode() + label.model_dump_json().encode())
    digest.update(examples.spec.model_dump_json().encode())
    return digest.hexdigest()


def train_and_publish(
    engine: Engine,
    models_dir: Path,
    words: HistoryWords,
    label: LabelDefinition,
    target_precision: float,
    assisted_min_score: float,
    now: datetime,
    reuse: bool = True,
    spec: FeatureFile | None = None,
) -> TrainingResult:
    spec = spec or shipped_features()
    with engine.connect() as connection:
        history = read_history(connection, words, spec=spec)
    examples = training_examples(history, label, spec)
    digest = fingerprint(examples, words, label)
    current = _reusable(models_dir) if reuse else None
    if current is not None and _same_training(current, digest, target_precision, assisted_min_score):
        return TrainingResult(current, reused=True)
    trained = train(examples, target_precision, assisted_min_score, label)
    version = _new_version(models_dir, f"renewal-{now:%Y%m%dT%H%M%S}-{digest[:8]}")
    metadata: dict[str, Any] = {
        "version": version,
        "created_at": now.isoformat(timespec="seconds"),
        "label": label.model_dump(),
        "history_words": words.name,
        "data_fingerprint": digest,
        "features": examples.spec.names,
        "feature_file": examples.spec.model_dump(mode="json"),
        "thresholds": {
            "seamless": trained.thresholds.seamless,
            "assisted": trained.thresholds.assisted,
            "target_precision": trained.thresholds.target_precision,
        },
        "evaluation": trained.evaluation,
        "details": trained.details,
    }
    folder = models_dir / version
    save_model(folder, trained.estimator, metadata)
    model = load_model(folder)  # what is published is what loads: proven before it becomes current
    write_reports(folder, model.metadata)
    publish(models_dir, version)
    return TrainingResult(model, reused=False)


def _new_version(models_dir: Path, name: str) -> str:
    """`name`, or `name-2`, `name-3`… so that a published model is never overwritten."""
    candidate, n = name, 1
    while (models_dir / candidate).exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _reusable(models_dir: Path) -> LoadedModel | None:
    """The current model, if there is one that loads: a refused one (older version, changed file) is replaced."""
    try:
        return load_current(models_dir)
    except ModelArtifactError:
        return None


def _same_training(current: LoadedModel, digest: str, target_precision: float, assisted_min_score: float) -> bool:
    thresholds = current.thresholds
    return (
        current.metadata.get("data_fingerprint") == digest
        and thresholds.target_precision == target_precision
        and thresholds.assisted == assisted_min_score
    )
