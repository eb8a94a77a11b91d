"""A saved model loads only as it was written: a changed, foreign or incompatible artifact is refused, saying why."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from models import artifacts
from models.artifacts import ModelArtifactError, load_current, load_model, save_model
from tests.models.conftest import County


@pytest.fixture
def folder(county: County, tmp_path: Path) -> Path:
    copy = tmp_path / county.trained.model.version
    shutil.copytree(county.models_dir / county.trained.model.version, copy)
    return copy


def test_an_untouched_artifact_loads_with_its_thresholds(folder: Path, county: County) -> None:
    model = load_model(folder)
    assert model.thresholds == county.trained.model.thresholds
    assert load_current(county.models_dir) is not None


def test_a_changed_model_file_is_refused(folder: Path) -> None:
    data = bytearray((folder / "model.skops").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "model.skops").write_bytes(bytes(data))

    with pytest.raises(ModelArtifactError, match=r"model.skops: the file changed after training"):
        load_model(folder)


def test_hand_edited_thresholds_are_refused(folder: Path) -> None:
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    meta["thresholds"]["seamless"] = 0.5
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")

    with pytest.raises(ModelArtifactError, match=r"model.json: the metadata changed after training"):
        load_model(folder)


def test_a_model_from_another_scikit_learn_is_refused(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(artifacts, "package_version", lambda name: "0.24.2")

    with pytest.raises(ModelArtifactError, match=r"trained with scikit-learn 1\.\d+.*has 0\.24\.2.*retrain"):
        load_model(folder)


def test_an_artifact_holding_unexpected_code_is_not_loaded(tmp_path: Path, county: County) -> None:
    # A pipeline that would call os.system when used: skops does not trust it, and neither do we.
    sneaky = make_pipeline(FunctionTransformer(os.system), FrozenEstimator(county.trained.model.estimator))
    meta = county.trained.model.metadata | {"thresholds": {"seamless": 0.9, "assisted": 0.5, "target_precision": 0.98}}
    save_model(tmp_path / "sneaky", CalibratedClassifierCV(sneaky), meta)

    with pytest.raises(ModelArtifactError, match=r"unexpected types .*system"):
        load_model(tmp_path / "sneaky")


def test_a_missing_metadata_file_is_named(folder: Path) -> None:
    (folder / "model.json").unlink()
    with pytest.raises(ModelArtifactError, match=r"model.json: cannot read"):
        load_model(folder)
