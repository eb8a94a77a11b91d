"""From an export's raw text to canonical rows — pure and vectorised.

Every raw row ends in exactly one place: the canonical rows, the rejected rows (with the first reason and all of
them), or — for a licence listed once per term — the earlier-term history events of the row that was kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field

import pandas as pd

from domain.licence_types import LicenceType
from domain.registries.checks import bad_credit_codes, bad_pattern, formula_like, normalise_phones
from domain.registries.connectors import BROKEN_DETAIL, BROKEN_REASON, LINE, broken_rows
from domain.registries.mapping import YEAR_END, YEAR_START, AttributeType, FieldSpec, Mapping
from domain.registries.schema import EVENTS, LICENCES, Field, Kind

REASON = BROKEN_REASON
ATTRIBUTES = "attributes"
_ATTRIBUTE_KINDS = {AttributeType.NUMBER: Kind.FLOAT, AttributeType.DATE: Kind.DATE, AttributeType.CATEGORY: Kind.TEXT}
DETAIL = BROKEN_DETAIL


@dataclass(frozen=True)
class Normalised:
    rows: pd.DataFrame  # canonical fields + LINE + row_hash (+ mobile_problem where there is a phone)
    rejected: pd.DataFrame  # LINE, REASON, DETAIL + the raw columns
    earlier_terms: pd.DataFrame  # canonical events built from superseded licence terms
    # rows the reader could not split into columns: LINE, REASON, DETAIL + their text
    broken: pd.DataFrame = field(default_factory=lambda: broken_rows([]))

    def quarantined(self) -> pd.DataFrame:
        """Every quarantined row's line, reason and detail, in file order."""
        both = pd.concat([self.broken[[LINE, REASON, DETAIL]], self.rejected[[LINE, REASON, DETAIL]]])
        return both.sort_values(LINE, kind="stable")


class Rejections:
    """Collects reasons per row; the first reason names the row's quarantine entry, all of them go in the detail."""

    def __init__(self, index: pd.Index) -> None:
        self.first = pd.Series(None, index=index, dtype=object)
        self.all = pd.Series("", index=index, dtype=object)

    def add(self, mask: pd.Series, reason: str, values: pd.Series | None = None) -> None:
        if not mask.any():
            return
        self.first = self.first.mask(mask & self.first.isna(), reason)
        note = reason if values is None else reason + " '" + values[mask].astype(str).str.slice(0, 60) + "'"
        earlier = self.all[mask]
        self.all.loc[mask] = earlier.where(earlier == "", earlier + "; ") + note

    @property
    def mask(self) -> pd.Series:
        return self.first.notna()


def normalise(raw: pd.DataFrame, mapping: Mapping, licence_types: MappingType[str, LicenceType]) -> Normalised:
    rejections = Rejections(raw.index)
    rows = pd.DataFrame(index=raw.index)
    for name, spec in mapping.fields.items():
        field = mapping.canonical.field(name)
        values = _source_values(raw, spec)
        if field.required:
            rejections.add(values.isna(), f"missing {name}")
        rows[name] = _convert(values, field, spec, rejections)
    if "mobile" in rows:
        rows["mobile"], rows["mobile_problem"] = normalise_phones(
            rows["mobile"], mapping.phone_region, mapping.mobile_only
        )
    if mapping.canonical is LICENCES:
        _check_licences(rows, licence_types, rejections)
    if mapping.canonical is EVENTS:
        rejections.add(
            _missing(rows, "licence_no") & _missing(rows, "subject_key"),
            "event names neither licence nor subject",
        )
    hashed = rows[[c for c in mapping.canonical.names if c in rows]]
    if mapping.attributes:
        rows[ATTRIBUTES] = _attributes(raw, mapping, rejections)
        hashed = hashed.assign(**{ATTRIBUTES: attribute_texts(rows[ATTRIBUTES])})
    rows[LINE] = raw[LINE]
    rows["row_hash"] = row_hashes(hashed, list(hashed.columns))
    for name in mapping.canonical.key:  # an optional key field the source lacks is empty, as a blank cell would be
        if name not in rows:
            rows[name] = None
    kept, duplicates, earlier = _resolve_duplicates(rows, ~rejections.mask, mapping)
    rejected = pd.concat([_rejected(raw, rejections), raw.loc[duplicates.index].join(duplicates)])
    return Normalised(_move_rows(rows, kept), rejected.sort_values(LINE, kind="stable"), earlier)


def _attributes(raw: pd.DataFrame, mapping: Mapping, rejections: Rejections) -> pd.Series:
    """Each row's typed attributes as one JSON-ready object (numbers, category text, ISO dates; a missing value is
    left out), checked as a canonical field of the same kind is: a bad value rejects the row, naming the attribute.
    Unlike a field's, an attribute's column may be missing from an export (an older export, another county's):
    the attribute is then missing on every row, and `registry check` shows it filled by none."""
    values = {}
    for name, spec in mapping.attributes.items():
        present = [column for column in spec.columns if column in raw]
        if spec.value is None and not present:  # an attribute is extra: an export without its column lacks it
            values[name] = [None] * len(raw)
            continue
        field = Field(name, _ATTRIBUTE_KINDS[spec.type])
        read = spec if spec.value is not None else spec.model_copy(update={"column": present})
        converted = _convert(_source_values(raw, read), field, spec, rejections)
        if spec.type is AttributeType.DATE:
            converted = converted.dt.strftime("%Y-%m-%d")
        values[name] = converted.astype(object).where(converted.notna(), None).tolist()
    names = list(values)
    objects = [
        {name: value for name, value in zip(names, row, strict=True) if value is not None} or None
        for row in zip(*values.values(), strict=True)
    ]
    return pd.Series(objects, index=raw.index, dtype=object)


def attribute_texts(attributes: pd.Series) -> pd.Series:
    """The attributes as canonical JSON text, for digests and event keys (an object cannot be hashed)."""
    return attributes.map(lambda value: None if value is None else json.dumps(value, sort_keys=True))


def _move_rows(rows: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """The rows at `index`, emptying `rows` a column at a time so the two are never both whole in memory."""
    kept = pd.DataFrame(index=pd.RangeIndex(len(index)))
    for name in list(rows.columns):
        kept[name] = rows.pop(name).loc[index].reset_index(drop=True)
    return kept


def _missing(rows: pd.DataFrame, name: str) -> pd.Series:
    return rows[name].isna() if name in rows else pd.Series(True, index=rows.index)


def _source_values(raw: pd.DataFrame, spec: FieldSpec) -> pd.Series:
    """The stripped text for a field: a constant, one column, or the first non-empty of several columns."""
    if spec.value is not None:
        return pd.Series(spec.value, index=raw.index, dtype="str")
    parts = [raw[column].astype("str").str.strip() for column in spec.columns]
    parts = [part.mask(part == "") for part in parts]
    values = parts[0]
    for part in parts[1:]:
        if spec.join is None:
            values = values.fillna(part)
        else:
            joined = values + spec.join + part
            values = joined.fillna(values).fillna(part)
    return spec.prefix + values if spec.prefix else values


def _convert(values: pd.Series, field: Field, spec: FieldSpec, rejections: Rejections) -> pd.Series:
    present = values.notna()
    if spec.codes is not None:
        coded = values.map(spec.codes)
        rejections.add(present & coded.isna(), f"unknown {field.name} code", values)
        values = coded
    if field.kind is Kind.DATE:
        parsed = _parse_dates(values, spec.date_format or "ISO8601")
        rejections.add(present & parsed.isna(), f"bad {field.name} date", values)
        return parsed
    if field.kind in (Kind.INT, Kind.FLOAT):
        numbers = pd.to_numeric(values, errors="coerce")
        bad = present & (numbers.isna() | ((numbers % 1 != 0) & (field.kind is Kind.INT)))
        rejections.add(bad, f"bad {field.name} number", values)
        numbers = numbers.where(~bad)
        return numbers.astype("Int64") if field.kind is Kind.INT else numbers.astype("float64")
    if field.kind is Kind.BOOL:
        return values.map({"true": True, "false": False}).astype("boolean")
    if field.kind is Kind.CREDIT_CODE:
        rejections.add(bad_credit_codes(values), "bad credit code", values)
    if field.kind is Kind.TEXT:
        rejections.add(values.str.len() > field.max_length, f"{field.name} over {field.max_length} characters", values)
        rejections.add(formula_like(values), f"{field.name} looks like a spreadsheet formula", values)
    return values


def _parse_dates(values: pd.Series, date_format: str) -> pd.Series:
    if date_format in (YEAR_END, YEAR_START):
        years = pd.to_numeric(values, errors="coerce")
        years = years.where((years >= 1900) & (years <= 2200) & (years % 1 == 0))
        month_day = "-12-31" if date_format == YEAR_END else "-01-01"
        text = years.astype("Int64").astype("str") + month_day
        return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return pd.to_datetime(values, format=date_format, errors="coerce")


def _check_licences(rows: pd.DataFrame, licence_types: MappingType[str, LicenceType], rejections: Rejections) -> None:
    unknown = rows["licence_type"].notna() & ~rows["licence_type"].isin(list(licence_types))
    rejections.add(unknown, "unknown licence type", rows["licence_type"])
    for code, licence_type in licence_types.items():
        numbers = rows.loc[rows["licence_type"] == code, "licence_no"]
        bad = bad_pattern(numbers, licence_type.number_pattern).reindex(rows.index, fill_value=False)
        rejections.add(bad, f"licence number not in the {code} format", rows["licence_no"])
    if "valid_from" in rows:
        rejections.add(rows["expires_on"] < rows["valid_from"], "expiry before start", rows["expires_on"])


def row_hashes(rows: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A stable digest of a row's canonical values: a changed digest is a changed record.

    pandas' row hash is a keyed SipHash with a fixed key, vectorised; 64 bits make a collision between two
    versions of one record negligible.
    """
    digests = pd.util.hash_pandas_object(rows[columns], index=False)
    return pd.Series([f"{value:016x}" for value in digests.to_numpy()], index=rows.index, dtype="str")


def _rejected(raw: pd.DataFrame, rejections: Rejections) -> pd.DataFrame:
    rejected = raw[rejections.mask].copy()
    rejected[REASON] = rejections.first[rejections.mask]
    rejected[DETAIL] = rejections.all[rejections.mask]
    return rejected


def _resolve_duplicates(
    rows: pd.DataFrame, valid: pd.Series, mapping: Mapping
) -> tuple[pd.Index, pd.DataFrame, pd.DataFrame]:
    """Among the `valid` rows, exact repeats and conflicting rows for one key are rejected (the last line wins).

    A licence listed once per term (same number, different expiry) keeps its latest term; the earlier terms
    become history events, since they are the licence's earlier renewals. The decisions are taken on a slim
    frame of keys and lines; what comes back is the index of the rows to keep.
    """
    key = list(mapping.canonical.key)
    terms = ["expires_on"] if mapping.canonical is LICENCES else []
    slim = rows.loc[valid, [*key, "row_hash", LINE, *terms]]
    if mapping.canonical is EVENTS and ATTRIBUTES in rows:  # an event is what happened, its counts included
        slim[ATTRIBUTES] = attribute_texts(rows.loc[valid, ATTRIBUTES])
        key.append(ATTRIBUTES)
    by_line = slim.sort_values(LINE, kind="stable")
    exact = by_line.duplicated(subset=[*key, "row_hash"], keep="first")
    first_line = by_line.groupby([*key, "row_hash"], dropna=False)[LINE].transform("first")
    duplicates = _as_rejected(by_line[exact], "duplicate row", "same as line " + first_line[exact].astype(str))
    unique = by_line[~exact]
    earlier = pd.DataFrame()
    if terms:
        unique = unique.sort_values(["expires_on", LINE], kind="stable")
        superseded = unique.duplicated(subset=key, keep="last") & (
            unique.groupby(key)["expires_on"].transform("max") != unique["expires_on"]
        )
        earlier = _earlier_terms(rows.loc[unique.index[superseded]])
        unique = unique[~superseded]
    conflict = unique.duplicated(subset=key, keep="last")
    kept_line = unique.groupby(key, dropna=False)[LINE].transform("last")
    conflicts = _as_rejected(
        unique[conflict], "conflicting duplicate", "line " + kept_line[conflict].astype(str) + " kept"
    )
    kept = unique[~conflict].sort_values(LINE, kind="stable").index
    return kept, pd.concat([duplicates, conflicts]), earlier


def _as_rejected(rows: pd.DataFrame, reason: str, detail: pd.Series) -> pd.DataFrame:
    """Reasons for rejected rows, indexed like the raw rows they came from."""
    return pd.DataFrame({REASON: reason, DETAIL: detail}, index=rows.index)


def _earlier_terms(terms: pd.DataFrame) -> pd.DataFrame:
    if terms.empty:
        return pd.DataFrame(columns=list(EVENTS.names))
    start = terms["valid_from"] if "valid_from" in terms else pd.Series(pd.NaT, index=terms.index)
    events = pd.DataFrame(
        {
            "licence_no": terms["licence_no"],
            "subject_key": terms["subject_key"],
            "kind": "earlier_term",
            "occurred_on": start.fillna(terms["expires_on"]),
            "outcome": terms["status"],
            "severity": None,
            "detail": "term to " + terms["expires_on"].dt.strftime("%Y-%m-%d"),
        }
    )
    return events.reset_index(drop=True)
