"""Column mappings: how one registry export's columns, formats and codes become canonical fields (YAML files)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from domain.registries.schema import TARGETS, Kind, Target

SHIPPED_MAPPINGS = Path(__file__).resolve().parent / "mappings"
YEAR_END = "year-end"  # date_format for a column that holds only a year: the year's last day
YEAR_START = "year-start"
ATTRIBUTE_NAME = r"^[a-z][a-z0-9_]*$"


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the problem."""


class Format(StrEnum):
    CSV = "csv"
    EXCEL = "excel"
    PARQUET = "parquet"
    SQL = "sql"


class FieldSpec(BaseModel):
    """Where one canonical field comes from: a column (or the first non-empty of several) or a constant."""

    model_config = ConfigDict(extra="forbid")

    column: str | list[str] | None = None
    value: str | None = None
    join: str | None = None  # join the non-empty columns with this, instead of taking the first non-empty
    prefix: str = ""
    date_format: str | None = None
    codes: dict[str, str] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        if (self.column is None) == (self.value is None):
            raise ValueError("give exactly one of 'column' or 'value'")
        return self

    @property
    def columns(self) -> list[str]:
        if self.column is None:
            return []
        return [self.column] if isinstance(self.column, str) else list(self.column)


class AttributeType(StrEnum):
    NUMBER = "number"
    CATEGORY = "category"
    DATE = "date"


class AttributeSpec(FieldSpec):
    """A typed attribute beyond the canonical fields (a risk grade, non-conformities per inspection): stored with
    the row as it is declared, checked like a canonical field, and open to the classifier's feature file."""

    type: AttributeType


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    description: str
    target: Literal["licences", "subjects", "licence_events"]
    format: Format = Format.CSV
    encoding: str = "auto"
    sheet: str | int = 0
    phone_region: str = "CN"
    mobile_only: bool = True
    fields: dict[str, FieldSpec]
    attributes: dict[Annotated[str, StringConstraints(pattern=ATTRIBUTE_NAME)], AttributeSpec] = Field(
        default_factory=dict
    )

    @property
    def canonical(self) -> Target:
        return TARGETS[self.target]

    @property
    def source_columns(self) -> list[str]:
        return [c for spec in self.fields.values() for c in spec.columns]

    @model_validator(mode="after")
    def _fields_fit_target(self) -> Mapping:
        schema = TARGETS[self.target]
        unknown = sorted(set(self.fields) - set(schema.names))
        if unknown:
            raise ValueError(f"unknown canonical fields {unknown}; {self.target} has {list(schema.names)}")
        missing = [f.name for f in schema.fields if f.required and f.name not in self.fields]
        if missing:
            raise ValueError(f"required fields not mapped: {missing}")
        for name, spec in self.fields.items():
            _check_field_spec(schema, name, spec)
        for name, attribute in self.attributes.items():
            _check_attribute(name, attribute)
        return self


def _check_field_spec(schema: Target, name: str, spec: FieldSpec) -> None:
    field = schema.field(name)
    if field.kind in (Kind.CODE, Kind.BOOL) and spec.column is not None and spec.codes is None:
        raise ValueError(f"field {name!r} needs a 'codes' table from source values to canonical codes")
    allowed = field.codes or (frozenset({"true", "false"}) if field.kind is Kind.BOOL else frozenset())
    produced = set((spec.codes or {}).values()) | ({spec.value} if spec.value is not None else set())
    if allowed and not produced <= allowed:
        raise ValueError(f"field {name!r} maps to unknown codes {sorted(produced - allowed)}; use {sorted(allowed)}")
    if field.kind is Kind.DATE and spec.column is not None and spec.date_format is None:
        raise ValueError(f"field {name!r} needs a 'date_format' (strptime, 'ISO8601', {YEAR_END!r}, {YEAR_START!r})")


def _check_attribute(name: str, spec: AttributeSpec) -> None:
    if spec.type is AttributeType.DATE and spec.column is not None and spec.date_format is None:
        raise ValueError(
            f"attribute {name!r} needs a 'date_format' (strptime, 'ISO8601', {YEAR_END!r}, {YEAR_START!r})"
        )
    if spec.type is not AttributeType.DATE and spec.date_format is not None:
        raise ValueError(f"attribute {name!r} is a {spec.type}: a 'date_format' is for dates only")


def load_mapping(name_or_path: str | Path) -> Mapping:
    """A shipped mapping by name (`chicago_business_licenses`) or any mapping file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SHIPPED_MAPPINGS / f"{name_or_path}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"{path}: cannot read mapping: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'mapping'}: {e['msg']}" for e in exc.errors())
        raise MappingError(f"{path}: {problems}") from exc


def shipped_mappings() -> list[str]:
    return sorted(p.stem for p in SHIPPED_MAPPINGS.glob("*.yaml"))
