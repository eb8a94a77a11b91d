"""Licence types and their renewal windows, read from `licence_types.yaml` (operators may point to their own)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_FILE = Path(__file__).resolve().parent / "licence_types.yaml"


class LicenceTypesError(ValueError):
    """The licence types file cannot be used; the message names the file and the problem."""


class WindowUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class RenewalWindow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    in_force_from: date
    unit: WindowUnit
    opens: int = Field(ge=0)
    closes: int = Field(ge=0)
    reference: str = Field(min_length=1)

    @model_validator(mode="after")
    def _opens_before_closes(self) -> RenewalWindow:
        if self.opens < self.closes:
            raise ValueError(f"opens ({self.opens}) must be at least closes ({self.closes})")
        return self


class AfterWindowRule(StrEnum):
    REFUSE = "refuse"  # a renewal applied for after the window closed is not accepted: assisted, holder told plainly
    ACCEPT_LATE = "accept_late"  # the bureau's rules accept a late application until the licence expires


class AfterWindow(BaseModel):
    """What happens to a renewal not filed by the day its window closed (an expired licence is never renewed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: AfterWindowRule
    reference: str = Field(min_length=1)


class TermStart(StrEnum):
    DECISION = "decision"  # the new term runs from the day the renewal was decided
    OLD_EXPIRY = "old_expiry"  # the new term runs on from the day after the old one ended


class RenewedTerm(BaseModel):
    """Where a renewed licence's new validity starts; it lasts `validity_years`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    starts: TermStart
    reference: str = Field(min_length=1)


class LicenceType(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    validity_years: int = Field(gt=0)
    number_pattern: str
    windows: tuple[RenewalWindow, ...] = Field(min_length=1)
    application_name: str = Field(min_length=2)  # the renewal application's own name, as holders see it
    materials: tuple[str, ...] = Field(min_length=1)  # what every holder of this type supplies when assisted
    cancelled_by: str = Field(min_length=2)  # the department that cancels (注销) a lapsed licence
    files_online: bool  # the approval platform files this type's renewal online; if not, never seamless
    promised_working_days: int = Field(ge=1)  # 承诺时限: working days from filing to the decision
    after_window: AfterWindow
    renewed_term: RenewedTerm

    @field_validator("number_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value

    @field_validator("windows")
    @classmethod
    def _in_date_order(cls, value: tuple[RenewalWindow, ...]) -> tuple[RenewalWindow, ...]:
        starts = [w.in_force_from for w in value]
        if starts != sorted(set(starts)):
            raise ValueError("windows must be in order of in_force_from, each from a different date")
        return value

    def window_on(self, day: date) -> RenewalWindow:
        """The window in force on `day` (the earliest one for days before any is in force)."""
        in_force = [w for w in self.windows if w.in_force_from <= day]
        return in_force[-1] if in_force else self.windows[0]


def late_types(types: Mapping[str, LicenceType]) -> frozenset[str]:
    """The types whose rules accept a renewal applied for after the window closed (until the licence expires)."""
    return frozenset(code for code, kind in types.items() if kind.after_window.rule is AfterWindowRule.ACCEPT_LATE)


def offline_types(types: Mapping[str, LicenceType]) -> frozenset[str]:
    """The types whose renewal the approval platform does not file online: never routed seamless."""
    return frozenset(code for code, kind in types.items() if not kind.files_online)


def load_licence_types(path: Path = DEFAULT_FILE) -> dict[str, LicenceType]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LicenceTypesError(f"{path}: cannot read licence types: {exc}") from exc
    if not isinstance(data, dict):
        raise LicenceTypesError(f"{path}: expected a mapping of licence type codes")
    types = {}
    for code, body in data.items():
        try:
            types[str(code)] = LicenceType.model_validate(body)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise LicenceTypesError(f"{path}: licence type {code!r}: {problems}") from exc
    return types
