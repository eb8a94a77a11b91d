"""The two files that tell the classifier what a source's history means: its wording and its label."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class Split(_Strict):
    """How the labelled examples are split in time into fit, calibration and test: by shares of the examples, oldest
    first, or at two dates (the test window a published model was judged on, say), which then win over shares."""

    shares: tuple[float, float, float] = (0.6, 0.2, 0.2)
    calibration_from: date | None = None
    test_from: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if any(share <= 0 for share in self.shares) or abs(sum(self.shares) - 1) > 1e-9:
            raise ValueError(f"shares must be three positive shares adding up to 1, not {list(self.shares)}")
        if (self.calibration_from is None) != (self.test_from is None):
            raise ValueError("give both calibration_from and test_from, or neither")
        if self.calibration_from and self.test_from and self.calibration_from >= self.test_from:
            raise ValueError("calibration_from must be before test_from")
        return self


class ThresholdRule(_Strict):
    """The seamless threshold must hold the target precision at the lower bound of its confidence interval (Wilson),
    over at least `min_support` cases: a cut resting on a few lucky cases is not a threshold. One-sided 80 % by
    default: on the generated county (6,000 licences, 98 % target) the point estimate's threshold held 95.6 % on the
    newest period, the 80 % bound's 97.8 %, and at 90 % no cut reached the target."""

    confidence: float = Field(default=0.8, gt=0.5, lt=1.0)
    min_support: int = Field(default=30, ge=1)


class Wording(_Strict):
    """What the report and the model card call the examples and the positive outcome, in Chinese and English."""

    examples: str = "续证申请"
    positive: str = "准予延续"
    examples_en: str = "renewals"
    positive_en: str = "approved as filed"


class LabelDefinition(_Strict):
    """Which events are training examples, which of their outcomes is the positive class, which are left out on
    purpose (`ignore`: any other outcome word found in the store stops training), and how the model is judged."""

    name: str
    description: str = ""
    event_kind: str = "renewal"
    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)
    ignore: list[str] = Field(default_factory=list)
    split: Split = Split()
    threshold: ThresholdRule = ThresholdRule()
    wording: Wording = Wording()


def load_history_words(path: Path = DEFAULT_HISTORY) -> HistoryWords:
    return load_yaml_model(path, HistoryWords)


def load_label(path: Path = DEFAULT_LABEL) -> LabelDefinition:
    return load_yaml_model(path, LabelDefinition)
