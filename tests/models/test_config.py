"""The label and wording files: a bad one is refused with its file, its line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from ground.yaml_files import YamlFileError
from models.config import DEFAULT_HISTORY, load_history_words, load_label


def test_the_shipped_files_load() -> None:
    assert load_label().positive == ["准予延续"]
    assert load_history_words().penalty.open == ["未结案"]


def test_a_label_without_positives_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "label.yaml"
    path.write_text("name: x\nevent_kind: renewal\npositive: []\nnegative: [不予延续]\n", encoding="utf-8")

    with pytest.raises(YamlFileError, match=r"label.yaml: line 3: positive: List should have at least 1 item"):
        load_label(path)


def test_a_misspelt_key_and_broken_yaml_are_named(tmp_path: Path) -> None:
    path = tmp_path / "history.yaml"
    shipped = DEFAULT_HISTORY.read_text(encoding="utf-8")
    path.write_text(shipped.replace("  serious:", "  serius:"), encoding="utf-8")
    with pytest.raises(YamlFileError, match=r"line \d+: penalty.serius: Extra inputs are not permitted"):
        load_history_words(path)

    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(YamlFileError, match=r"history.yaml: line 2: not valid YAML"):
        load_history_words(path)
