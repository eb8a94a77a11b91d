"""The two files that tell the classifier what a source's history means: its wording and its label."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ground.yaml_files import load_yaml_model

HERE = Path(__file__).parent
DEFAULT_HISTORY = HERE / "history.yaml"
DEFAULT_LABEL = HERE / "label.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InspectionWords(_Strict):
    failed: list[str]
    partly: list[str] = Field(default_factory=list)


class PenaltyWords(_Strict):
    open: list[str]
    serious: list[str]
    heavy: list[str] = Field(default_factory=list)


class ComplaintWords(_Strict):
    upheld: list[str]


class RenewalWords(_Strict):
    approved: list[str]
    corrected: list[str] = Field(default_factory=list)
    refused: list[str]


class ChangeWords(_Strict):
    address: list[str]
    legal_rep: list[str]
    scope: list[str]


class HistoryWords(_Strict):
    """What a source's event outcomes mean: matched exactly (changes: by the start of the detail)."""

    name: str
    description: str = ""
    inspection: InspectionWords
    penalty: PenaltyWords
    complaint: ComplaintWords
    renewal: RenewalWords
    registration_change: ChangeWords


class LabelDefinition(_Strict):
    """Which events are training examples, and which of their outcomes is the positive class."""

    name: str
    description: str = ""
    event_kind: str = "renewal"
    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)


def load_history_words(path: Path = DEFAULT_HISTORY) -> HistoryWords:
    return load_yaml_model(path, HistoryWords)


def load_label(path: Path = DEFAULT_LABEL) -> LabelDefinition:
    return load_yaml_model(path, LabelDefinition)
