"""A policy file's schema: what an operator writes in `policies/<id>.yaml`, checked as it is read.

Every check that can name a place does so through pydantic's error location, which `load_yaml_model` turns into
the file's line: an unknown attribute, a parameter used where its kind does not fit, overlapping dated values.
Parameter names are given to the validators as context (read from the same file first), so a condition that
refers to a parameter the file does not define is refused on the condition's own line.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.policies.attributes import ATTRIBUTES, Attribute, Kind
from domain.policies.formulas import Formula, FormulaError, parse_formula

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# How the shipped files mark a reference still to be filled in (〔待填：…〕): such a policy is no lawful basis for a
# payment until the county writes in the real document and article.
PLACEHOLDER_MARK = "〔待填"
Number = StrictInt | StrictFloat


class Category(StrEnum):
    CERTIFICATION = "认定评定类"
    TAX = "税务类"
    GRANT = "资金奖补类"


class Area(StrEnum):
    TECHNOLOGY = "科技创新"
    FINANCE = "金融服务"
    CULTURE_TOURISM = "文化旅游"
    TALENT = "人才就业"
    INDUSTRY = "产业发展"


class Period(StrEnum):
    YEAR = "year"  # pays for the calendar year of the matching date
    PREVIOUS_YEAR = "previous_year"  # pays for the year before (last year's figures: taxes, loans, hires)
    ONCE = "once"  # pays once for the policy's whole term


class ParametersAsOf(StrEnum):
    """Which day's values of the dated parameters a policy pays with."""

    PERIOD = "period"  # those in force for the period paid for: on its last day, or the matching day if sooner
    MATCHING = "matching"  # those in force on the matching day, whatever the period (the policy must say so)


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"
    IN = "in"
    NOT_IN = "not_in"
    STARTS_WITH = "starts_with"  # industry code prefixes
    PRESENT = "present"
    IN_PERIOD = "in_period"  # a date inside the period the policy pays for, and not after the matching date
    WITHIN_YEARS = "within_years"  # a date no more than N years before the matching date (certificates)
    AT_LEAST_YEARS_AGO = "at_least_years_ago"  # a date N years or more before the matching date (registration age)
    ON_OR_AFTER = "on_or_after"
    BEFORE = "before"


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at_least: Number
    amount: Number = Field(ge=0)


# What a value is, as conditions and amounts need it: a number, a text, yes/no, a date, a list, or tiers.
ValueKind = Literal["number", "text", "bool", "date", "numbers", "texts", "tiers"]
ParameterValue = StrictBool | StrictInt | StrictFloat | StrictStr | list[Number] | list[StrictStr] | list[Tier]
LiteralValue = StrictBool | StrictInt | StrictFloat | date | StrictStr | list[Number] | list[StrictStr]

# The kind of value each operation takes, by attribute kind (None: it takes none).
OPERATIONS: dict[Kind, dict[Op, tuple[ValueKind, ...] | None]] = {
    Kind.NUMBER: {
        Op.EQ: ("number",),
        Op.NE: ("number",),
        Op.GT: ("number",),
        Op.GE: ("number",),
        Op.LT: ("number",),
        Op.LE: ("number",),
        Op.IN: ("numbers",),
        Op.NOT_IN: ("numbers",),
        Op.PRESENT: None,
    },
    Kind.TEXT: {
        Op.EQ: ("text",),
        Op.NE: ("text",),
        Op.IN: ("texts",),
        Op.NOT_IN: ("texts",),
        Op.STARTS_WITH: ("text", "texts"),
        Op.PRESENT: None,
    },
    Kind.BOOL: {Op.EQ: ("bool",), Op.PRESENT: None},
    Kind.DATE: {
        Op.IN_PERIOD: None,
        Op.WITHIN_YEARS: ("number",),
        Op.AT_LEAST_YEARS_AGO: ("number",),
        Op.ON_OR_AFTER: ("date",),
        Op.BEFORE: ("date",),
        Op.PRESENT: None,
    },
}


def value_kind(value: Any) -> ValueKind | None:
    """The kind of a literal or parameter value (None for one no policy can use)."""
    if isinstance(value, list | tuple):
        return _list_kind(value)
    # bool before number: in Python a bool is an int
    scalars: tuple[tuple[type | tuple[type, ...], ValueKind], ...] = (
        (bool, "bool"),
        ((int, float), "number"),
        (str, "text"),
        (date, "date"),
    )
    return next((kind for types, kind in scalars if isinstance(value, types)), None)


def _list_kind(values: list[Any] | tuple[Any, ...]) -> ValueKind | None:
    if not values:
        return None
    if all(isinstance(item, Tier | dict) for item in values):
        return "tiers"
    kinds = {value_kind(item) for item in values}
    if kinds == {"number"}:
        return "numbers"
    return "texts" if kinds == {"text"} else None


def _context_kinds(info: ValidationInfo) -> dict[str, ValueKind | None]:
    """The file's parameter names with the kind of their values, as the loader passes them."""
    return dict((info.context or {}).get("parameters", {}))


class ParamRef(BaseModel):
    """`{param: name}`: the value of the file's dated parameter `name` on the matching date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    param: str


def _kind_of(value: ParamRef | Any, info: ValidationInfo) -> ValueKind | None:
    """A value's kind; for a parameter, the kind of its values (checked against the file's parameters)."""
    if not isinstance(value, ParamRef):
        return value_kind(value)
    known = _context_kinds(info)
    if info.context is not None and value.param not in known:
        raise ValueError(f"parameter {value.param!r} is not defined under 'parameters' (defined: {sorted(known)})")
    return known.get(value.param)


class DatedValue(BaseModel):
    """One value of a parameter and the law that sets it, in force from `from` until `to` (inclusive) or, without
    `to`, until the next value begins."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    starts: date = Field(alias="from")
    ends: date | None = Field(default=None, alias="to")
    value: ParameterValue
    reference: str = Field(min_length=1)

    @model_validator(mode="after")
    def _usable(self) -> DatedValue:
        if self.ends is not None and self.ends < self.starts:
            raise ValueError(f"'to' {self.ends} is before 'from' {self.starts}")
        if value_kind(self.value) is None:
            raise ValueError("a value is a number, a text, yes/no, a non-empty list, or tiers")
        if isinstance(self.value, list) and value_kind(self.value) == "tiers":
            thresholds = [tier.at_least for tier in self.value]  # type: ignore[union-attr]
            if thresholds != sorted(set(thresholds)):
                raise ValueError("tiers must be in rising order of 'at_least', each threshold once")
        return self

    def in_force(self, day: date, next_start: date | None) -> bool:
        end_ok = day <= self.ends if self.ends is not None else next_start is None or day < next_start
        return self.starts <= day and end_ok


def _dated_without_overlap(values: list[DatedValue]) -> list[DatedValue]:
    ordered = sorted(values, key=lambda v: v.starts)
    for earlier, later in pairwise(ordered):
        if earlier.starts == later.starts or (earlier.ends is not None and earlier.ends >= later.starts):
            raise ValueError(
                f"dated values overlap: the one from {earlier.starts} (to {earlier.ends or 'the next'}) and the one "
                f"from {later.starts}; a value ends the day before the next begins"
            )
    kinds = {value_kind(v.value) for v in values}
    if len(kinds) > 1:
        raise ValueError(f"all dated values of a parameter must be of one kind, found {sorted(map(str, kinds))}")
    return ordered


Parameter = Annotated[list[DatedValue], Field(min_length=1), AfterValidator(_dated_without_overlap)]


def attribute_named(name: str) -> Attribute:
    try:
        return ATTRIBUTES[name]
    except KeyError:
        raise ValueError(f"unknown attribute {name!r}; known: {', '.join(ATTRIBUTES)}") from None


class Condition(BaseModel):
    """`attribute op value`: the value a literal or `{param: name}`; `label` words it for the trace if given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    attribute: str
    op: Op
    value: ParamRef | LiteralValue | None = None
    label: str | None = None

    @field_validator("attribute")
    @classmethod
    def _known(cls, name: str) -> str:
        attribute_named(name)
        return name

    @model_validator(mode="after")
    def _fits(self, info: ValidationInfo) -> Condition:
        kind = ATTRIBUTES[self.attribute].kind
        allowed = OPERATIONS[kind]
        if self.op not in allowed:
            raise ValueError(f"{self.attribute} is a {kind}: use one of {', '.join(allowed)}, not {self.op}")
        wanted = allowed[self.op]
        if wanted is None:
            if self.value is not None:
                raise ValueError(f"{self.op} takes no value")
            return self
        got = _kind_of(self.value, info)
        if self.value is None or got not in wanted:
            raise ValueError(f"{self.attribute} {self.op} needs a {' or '.join(wanted)} value, got {got or 'none'}")
        return self

    @property
    def definition(self) -> Attribute:
        return ATTRIBUTES[self.attribute]


class Tiered(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    attribute: str
    tiers: ParamRef | list[Tier]

    @field_validator("attribute")
    @classmethod
    def _numeric(cls, name: str) -> str:
        if attribute_named(name).kind is not Kind.NUMBER:
            raise ValueError(f"tiers need a numeric attribute; {name} is a {ATTRIBUTES[name].kind}")
        return name

    @field_validator("tiers")
    @classmethod
    def _are_tiers(cls, tiers: ParamRef | list[Tier], info: ValidationInfo) -> ParamRef | list[Tier]:
        if info.context is not None and _kind_of(tiers, info) != "tiers":
            raise ValueError("tiers must be a list of {at_least, amount} or a parameter holding one")
        return tiers


class Amount(BaseModel):
    """Exactly one of `fixed`, `tiered` or `formula`; `cap` limits any of them. Amounts are whole yuan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fixed: ParamRef | Number | None = None
    tiered: Tiered | None = None
    formula: str | None = None
    cap: ParamRef | Number | None = None
    _parsed: Formula | None = PrivateAttr(default=None)

    @field_validator("fixed", "cap")
    @classmethod
    def _numeric(cls, value: ParamRef | Number | None, info: ValidationInfo) -> ParamRef | Number | None:
        if value is not None and info.context is not None and _kind_of(value, info) != "number":
            raise ValueError("needs a number or a parameter holding a number")
        return value

    @field_validator("formula")
    @classmethod
    def _arithmetic(cls, text: str | None, info: ValidationInfo) -> str | None:
        if text is None:
            return None
        try:
            formula = parse_formula(text)
        except FormulaError as exc:
            raise ValueError(str(exc)) from exc
        numeric = {name for name, a in ATTRIBUTES.items() if a.kind is Kind.NUMBER}
        numeric |= {name for name, kind in _context_kinds(info).items() if kind == "number"}
        unknown = sorted(formula.names - numeric)
        if unknown:
            raise ValueError(f"formula names {unknown}: neither numeric attributes nor numeric parameters")
        return text

    @model_validator(mode="after")
    def _one_method(self) -> Amount:
        given = [name for name in ("fixed", "tiered", "formula") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of fixed, tiered or formula (given: {given or 'none'})")
        if self.formula is not None:
            self._parsed = parse_formula(self.formula)
        return self

    @property
    def parsed_formula(self) -> Formula:
        assert self._parsed is not None, "only a formula amount has a parsed formula"
        return self._parsed


class Effective(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    starts: date = Field(alias="from")
    ends: date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.ends is not None and self.ends < self.starts:
            raise ValueError(f"'to' {self.ends} is before 'from' {self.starts}")
        return self

    def covers(self, day: date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)


class Exclusions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # 同一主体N年内只享受一次: no case when one of this policy for any of the previous N-1 years stands.
    once_in_years: int | None = Field(default=None, ge=1, le=20)
    # 不得同时享受: policies linked this way form a group; a subject gets the highest amount of the group for a
    # period, and nothing from the group once one of them has been paid for that period.
    mutually_exclusive_with: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(default_factory=list)


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=2)
    department: str = Field(min_length=2)
    category: Category
    area: Area
    reference: str = Field(min_length=2)
    effective: Effective
    period: Period
    parameters_as_of: ParametersAsOf = ParametersAsOf.PERIOD
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    conditions: list[Condition] = Field(min_length=1)
    amount: Amount
    exclusions: Exclusions = Exclusions()
    _version: str = PrivateAttr(default="")
    _source: str = PrivateAttr(default="")

    @field_validator("parameters")
    @classmethod
    def _names(cls, parameters: dict[str, list[DatedValue]]) -> dict[str, list[DatedValue]]:
        bad = [name for name in parameters if not name.isidentifier() or name in ATTRIBUTES]
        if bad:
            raise ValueError(f"parameter names must be identifiers and not attribute names: {bad}")
        return parameters

    @property
    def version(self) -> str:
        """A digest of the file the policy was read from: the trace names the exact rules that decided."""
        return self._version

    @property
    def source(self) -> str:
        return self._source

    def stamped(self, source: str, version: str) -> Policy:
        self._source, self._version = source, version
        return self

    @property
    def placeholder_references(self) -> list[str]:
        """The file's references (the policy's own and its dated values') that are still placeholders."""
        references = [self.reference, *(v.reference for values in self.parameters.values() for v in values)]
        return [reference for reference in references if is_placeholder(reference)]

    def value_on(self, name: str, day: date) -> DatedValue | None:
        """The dated value of parameter `name` in force on `day`, if any."""
        values = self.parameters[name]
        starts = [v.starts for v in values[1:]] + [None]
        return next((v for v, nxt in zip(values, starts, strict=True) if v.in_force(day, nxt)), None)


def is_placeholder(reference: str) -> bool:
    return PLACEHOLDER_MARK in reference
