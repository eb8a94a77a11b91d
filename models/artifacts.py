"""A trained model on disk: the fitted pipeline in skops format (no pickle), its metadata, and digests that make
any later change to either visible. Loading refuses a changed, foreign or incompatible artifact, saying why.

Layout: `<models dir>/<version>/` holds model.skops, model.json, report.html, report.json and model_card.md;
`<models dir>/CURRENT` names the version in use. The digests detect edits and corruption; keeping the folder
writable only by the service is what keeps a determined attacker out.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import skops.io as sio
from pydantic import ValidationError
from sklearn.calibration import CalibratedClassifierCV

from domain.routing.rules import Thresholds
from models.feature_file import FeatureFile

FORMAT = 1
MODEL_FILE, META_FILE, CURRENT = "model.skops", "model.json", "CURRENT"
LIBRARIES = ("scikit-learn", "skops", "numpy", "pandas", "scipy")
# Types skops does not trust by default that our pipelines legitimately contain; anything else is refused.
ALLOWED_TYPES = frozenset(
    {
        "functools.partial",
        "numpy.dtype",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.utils.validation.check_array",
    }
)


class ModelArtifactError(Exception):
    """A model artifact that must not be used; the message says which file and why."""


@dataclass(frozen=True)
class LoadedModel:
    version: str
    estimator: CalibratedClassifierCV
    thresholds: Thresholds
    metadata: dict[str, Any]

    @property
    def reference(self) -> dict[str, Any]:
        return self.metadata["details"]["reference"]  # type: ignore[no-any-return]

    @property
    def features(self) -> FeatureFile:
        """The feature file the model was trained with: scoring builds the same features."""
        return feature_file_of(self.metadata)


def feature_file_of(meta: dict[str, Any]) -> FeatureFile:
    data = meta.get("feature_file")
    return FeatureFile.model_validate(data, context={"attributes": data.get("attributes", {})} if data else {})


def library_versions() -> dict[str, str]:
    return {"python": platform.python_version()} | {name: package_version(name) for name in LIBRARIES}


def save_model(folder: Path, estimator: CalibratedClassifierCV, metadata: dict[str, Any]) -> None:
    """Write the model and its metadata (with both digests); `publish` makes it current once all is written."""
    folder.mkdir(parents=True, exist_ok=True)
    sio.dump(estimator, folder / MODEL_FILE)
    meta = metadata | {"format": FORMAT, "libraries": library_versions(), "model_sha256": _sha256(folder / MODEL_FILE)}
    meta["metadata_sha256"] = _meta_digest(meta)
    (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")


def publish(models_dir: Path, version: str) -> None:
    """Make `version` the model in use, atomically: a reader sees the old one or the new one, never half."""
    temporary = models_dir / f".{CURRENT}.tmp"
    temporary.write_text(version + "\n", encoding="utf-8")
    os.replace(temporary, models_dir / CURRENT)


def current_version(models_dir: Path) -> str | None:
    pointer = models_dir / CURRENT
    return pointer.read_text(encoding="utf-8").strip() if pointer.exists() else None


def load_current(models_dir: Path) -> LoadedModel | None:
    version = current_version(models_dir)
    return None if version is None else load_model(models_dir / version)


def load_model(folder: Path) -> LoadedModel:
    meta = _read_metadata(folder)
    if _sha256(folder / MODEL_FILE) != meta.get("model_sha256"):
        raise ModelArtifactError(
            f"{folder / MODEL_FILE}: the file changed after training (digest mismatch); restore it or retrain"
        )
    _check_compatible(folder, meta)
    untrusted = set(sio.get_untrusted_types(file=folder / MODEL_FILE))
    if untrusted - ALLOWED_TYPES:
        raise ModelArtifactError(
            f"{folder / MODEL_FILE}: refuses to load unexpected types {sorted(untrusted - ALLOWED_TYPES)}"
        )
    estimator = sio.load(folder / MODEL_FILE, trusted=sorted(untrusted))
    thresholds = Thresholds(**meta["thresholds"])
    return LoadedModel(meta["version"], estimator, thresholds, meta)


def _read_metadata(folder: Path) -> dict[str, Any]:
    path = folder / META_FILE
    try:
        meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelArtifactError(f"{path}: cannot read the model's metadata: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ModelArtifactError(f"{path}: not valid JSON at line {exc.lineno}: {exc.msg}") from exc
    if meta.get("metadata_sha256") != _meta_digest(meta):
        raise ModelArtifactError(
            f"{path}: the metadata changed after training (digest mismatch); restore it or retrain"
        )
    return meta


def _check_compatible(folder: Path, meta: dict[str, Any]) -> None:
    if meta.get("format") != FORMAT:
        raise ModelArtifactError(
            f"{folder}: artifact format {meta.get('format')}, this version reads {FORMAT}; retrain"
        )
    try:
        built = feature_file_of(meta).names
    except ValidationError:
        built = None
    if meta.get("features") != built:
        raise ModelArtifactError(f"{folder}: trained on other features than this version builds; retrain")
    trained = meta.get("libraries", {}).get("scikit-learn", "?")
    running = package_version("scikit-learn")
    if trained.split(".")[:2] != running.split(".")[:2]:
        raise ModelArtifactError(
            f"{folder}: trained with scikit-learn {trained}, this installation has {running}; "
            "retrain with `proactive model train`"
        )


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ModelArtifactError(f"{path}: cannot read the model: {exc.strerror or exc}") from exc


def _meta_digest(meta: dict[str, Any]) -> str:
    content = {k: v for k, v in meta.items() if k != "metadata_sha256"}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
