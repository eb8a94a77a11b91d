"""The feature file: which features the classifier builds from a source's history, declared in YAML.

Each feature is one of a few kinds over the event categories the history file defines (or whole canonical event
kinds), the typed attributes the source's mappings declare, and the licence and subject columns. The file names the
typed attributes it reads, with their declared types, so that a feature naming an attribute, a column, a category
or a kind that does not exist stops at the file's line, before anything is read.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ground.store.tables import licences, subjects
from ground.yaml_files import load_yaml_model
from models.categories import CATEGORIES, RULE_KINDS

DEFAULT_FEATURES = Path(__file__).parent / "features.yaml"
NAME = r"^[a-z][a-z0-9_]*$"
TABLES = {"licences": licences, "subjects": subjects}


class Kind(StrEnum):
    COUNT = "count"  # events of the chosen categories in the window
    DAYS_SINCE = "days_since"  # days from the latest such event in the window (missing where none)
    LAST = "last"  # an event attribute: the latest such event's value in the window
    MEAN = "mean"
    MAX = "max"
    OPEN = "open"  # 1 while more `categories` than `closed_by` events have happened (a listing not yet lifted)
    LAST_OF = "last_of"  # which of the categories the latest such event was ("none" where there is none)
    LICENCE = "licence"  # a licence column or typed attribute
    SUBJECT = "subject"  # a subject column or typed attribute
    YEARS_SINCE = "years_since"  # years from a licence or subject date to the as-of date
    PRESENT = "present"  # 1 where any of the named licence or subject columns has a value
    OTHER_LICENCES = "other_licences"  # the subject's other licences issued by the as-of date


# The groups whose reasons have their own words (`models.reasons`); other groups quote their features' labels.
WORDED_GROUPS = [
    "penalties",
    "inspections",
    "complaints",
    "changes",
    "abnormal",
    "renewals",
    "contact",
    "subject",
    "licence",
]
EVENT_KINDS = {Kind.COUNT, Kind.DAYS_SINCE, Kind.LAST, Kind.MEAN, Kind.MAX, Kind.OPEN, Kind.LAST_OF}
STATISTICS = {Kind.LAST, Kind.MEAN, Kind.MAX}
RECORD_KINDS = {Kind.LICENCE, Kind.SUBJECT, Kind.YEARS_SINCE}
AttributeType = Literal["number", "category", "date"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Attributes(_Strict):
    """The typed attributes the features read, by table, with the type each mapping declares for it."""

    events: dict[str, AttributeType] = Field(default_factory=dict)
    licences: dict[str, AttributeType] = Field(default_factory=dict)
    subjects: dict[str, AttributeType] = Field(default_factory=dict)


class Feature(_Strict):
    """One feature. Events are chosen by `categories` (the history file's) or `event_kinds` (canonical kinds, every
    category of them); the window is `years` or `days` before the as-of date, `since: term` (from the start of the
    licence's current term), or the whole past."""

    name: str = Field(pattern=NAME)
    kind: Kind
    group: str = Field(pattern=NAME, description="reasons are given per group")
    label: str = Field(default="", description="the feature in Chinese, for reasons of groups without own words")
    categories: list[str] = Field(default_factory=list)
    event_kinds: list[str] = Field(default_factory=list)
    closed_by: list[str] = Field(default_factory=list)
    years: float | None = Field(default=None, gt=0)
    days: float | None = Field(default=None, gt=0)
    since: Literal["term"] | None = None
    of: Literal["licence", "subject"] | None = None  # whose date, for years_since
    attribute: str | None = None  # a typed attribute the file declares
    column: str | None = None  # a canonical column of the licence or subject
    columns: list[str] = Field(default_factory=list)  # licence.mobile, subject.mobile, for present
    value: Literal["number", "category"] | None = None  # how a licence or subject column is used

    @field_validator("categories", "closed_by")
    @classmethod
    def _known_categories(cls, names: list[str]) -> list[str]:
        unknown = [name for name in names if name not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown event categories {unknown}; the history file defines {CATEGORIES}")
        return names

    @field_validator("event_kinds")
    @classmethod
    def _known_event_kinds(cls, names: list[str]) -> list[str]:
        unknown = [name for name in names if name not in RULE_KINDS]
        if unknown:
            raise ValueError(f"unknown event kinds {unknown}; known: {sorted(set(RULE_KINDS))}")
        return names

    @field_validator("attribute")
    @classmethod
    def _declared(cls, name: str | None, info: ValidationInfo) -> str | None:
        declared = (info.context or {}).get("attributes", {})
        table = _attribute_table(info.data.get("kind"), info.data.get("of"))
        if name is not None and name not in declared.get(table, {}):
            raise ValueError(
                f"unknown {table} attribute {name!r}; declare it under attributes.{table} with its type "
                f"(declared: {sorted(declared.get(table, {}))})"
            )
        return name

    @field_validator("column")
    @classmethod
    def _existing_column(cls, name: str | None, info: ValidationInfo) -> str | None:
        table = _attribute_table(info.data.get("kind"), info.data.get("of"))
        if name is not None and (table not in TABLES or name not in TABLES[table].c):
            known = sorted(TABLES[table].c.keys()) if table in TABLES else []
            raise ValueError(f"unknown {table} column {name!r}; known: {known}")
        return name

    @field_validator("columns")
    @classmethod
    def _existing_columns(cls, names: list[str]) -> list[str]:
        for name in names:
            whose, _, column = name.partition(".")
            if f"{whose}s" not in TABLES or column not in TABLES[f"{whose}s"].c:
                raise ValueError(f"unknown column {name!r}; write licence.<column> or subject.<column>")
        return names

    @model_validator(mode="after")
    def _complete(self) -> Self:
        chosen = bool(self.categories or self.event_kinds)
        if self.kind in EVENT_KINDS and not chosen:
            raise ValueError(f"a {self.kind} feature needs categories or event_kinds")
        if self.kind in STATISTICS and self.attribute is None:
            raise ValueError(f"a {self.kind} feature needs an event attribute")
        if self.kind in RECORD_KINDS and (self.attribute is None) == (self.column is None):
            raise ValueError(f"a {self.kind} feature needs exactly one of attribute or column")
        if self.kind is Kind.YEARS_SINCE and self.of is None:
            raise ValueError("a years_since feature needs of: licence or of: subject")
        if self.kind is Kind.OPEN and not self.closed_by:
            raise ValueError("an open feature needs closed_by categories")
        if self.kind is Kind.PRESENT and not self.columns:
            raise ValueError("a present feature needs columns")
        if sum(x is not None for x in (self.years, self.days, self.since)) > 1:
            raise ValueError("give one window: years, days or since")
        return self

    @property
    def window_days(self) -> float:
        """The window in days (infinite: the whole past; `since: term` is applied on top of the whole past)."""
        if self.years is not None:
            return self.years * YEAR
        return self.days if self.days is not None else float("inf")

    @property
    def chosen_categories(self) -> list[str]:
        return [
            *self.categories,
            *(c for c, kind in zip(CATEGORIES, RULE_KINDS, strict=True) if kind in self.event_kinds),
        ]


YEAR = 365.25


def _attribute_table(kind: Any, of: Any) -> str:
    if kind in (Kind.LICENCE, "licence") or (kind in (Kind.YEARS_SINCE, "years_since") and of == "licence"):
        return "licences"
    if kind in (Kind.SUBJECT, "subject") or (kind in (Kind.YEARS_SINCE, "years_since") and of == "subject"):
        return "subjects"
    return "events"


class FeatureFile(_Strict):
    name: str
    description: str = ""
    attributes: Attributes = Attributes()
    features: list[Feature] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        names = [feature.name for feature in self.features]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"feature names used twice: {repeated}")
        for feature in self.features:
            if feature.group not in WORDED_GROUPS and not feature.label:
                raise ValueError(
                    f"feature {feature.name!r}: a group without its own words ({feature.group!r}) needs a Chinese "
                    f"label for each feature, quoted in the reasons (groups with their own words: {WORDED_GROUPS})"
                )
            if feature.kind in (Kind.MEAN, Kind.MAX) and self.attribute_type(feature) != "number":
                raise ValueError(f"feature {feature.name!r}: the {feature.kind} of a non-number attribute")
        return self

    @property
    def names(self) -> list[str]:
        """The model's inputs, numeric first, in the file's order within each."""
        return [*self.numeric, *self.categorical]

    @property
    def numeric(self) -> list[str]:
        return [f.name for f in self.features if not self.is_categorical(f)]

    @property
    def categorical(self) -> list[str]:
        return [f.name for f in self.features if self.is_categorical(f)]

    @property
    def group_of(self) -> dict[str, str]:
        return {f.name: f.group for f in self.features}

    def is_categorical(self, feature: Feature) -> bool:
        if feature.kind is Kind.LAST_OF:
            return True
        if feature.kind in (Kind.LICENCE, Kind.SUBJECT):
            declared = self.attribute_type(feature)
            return (feature.value or ("number" if declared == "number" else "category")) == "category"
        if feature.kind is Kind.LAST and feature.attribute is not None:
            return self.attributes.events.get(feature.attribute) == "category"
        return False

    def attribute_type(self, feature: Feature) -> AttributeType | None:
        if feature.attribute is None:
            return None
        return getattr(self.attributes, _attribute_table(feature.kind, feature.of))[feature.attribute]  # type: ignore[no-any-return]


def load_features(path: Path = DEFAULT_FEATURES) -> FeatureFile:
    """The feature file; an unknown attribute, column, category or kind stops with the file and the line."""
    return load_yaml_model(path, FeatureFile, context=lambda data: {"attributes": _declared(data)})


def _declared(data: Any) -> dict[str, dict[str, str]]:
    attributes = data.get("attributes") if isinstance(data, dict) else None
    return {k: v for k, v in attributes.items() if isinstance(v, dict)} if isinstance(attributes, dict) else {}
