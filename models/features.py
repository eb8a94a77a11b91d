"""Features of a licence as of a date, built only from what was known before that date. Pure and vectorised.

A target is a (licence, as-of date) pair: a historical renewal to learn from, or a licence to score today. Events
on or after the as-of date are never counted, so a model trained on the past sees the past as it was then.
Subject attributes (size, kind) and contact details exist only as they are now; the model card says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from models.categories import CATEGORIES
from models.feature_file import DEFAULT_FEATURES, YEAR, Feature, FeatureFile, Kind, load_features

TERM_DAYS = 1826  # a five-year licence term, used to date the first issue of a licence renewed before

# Not model inputs: the groups the evaluation reports on, and facts the reasons quote.
GROUPS = ["township", "type_label", "subject_kind"]
FACTS = ["last_failed_inspection_year", "last_penalty_year", "open_penalties"]
# What the hard legal rules look at (`domain.routing.rules.hard_rules`), carried so scoring need not look them up again.
STANDING = ["licence_status", "subject_status", "serious_violation_list"]
LICENCE_ATTRIBUTES = ["licence_no", "subject_key", "licence_type", "type_label", "valid_from", "mobile"]
SUBJECT_ATTRIBUTES = ["subject_key", "kind", "township", "employees", "revenue_10k_yuan", "registered_on", "mobile"]
RENEWALS = ["renewal_approved", "renewal_corrected", "renewal_refused"]
ATTRIBUTE = "attribute:"  # how a typed attribute's column is named in the history's frames


def attribute_column(name: str) -> str:
    return ATTRIBUTE + name


@dataclass(frozen=True)
class History:
    """The registry as the classifier reads it (see `models.store_io`)."""

    licences: pd.DataFrame  # licence_no, subject_key, licence_type, type_label, valid_from, status, mobile
    subjects: pd.DataFrame  # subject_key, kind, township, employees, revenue_10k_yuan, registered_on, mobile
    # licence_no; subject_key (only where no licence is named); category (the place in CATEGORIES, missing where
    # no rule matched); occurred_on; open (1 for an open penalty); and, read for training, kind and outcome.
    # Each frame may carry the feature file's columns and typed attributes (`attribute:<name>`) as well.
    events: pd.DataFrame


@dataclass(frozen=True)
class _Known:
    """What is known of each target on its as-of date: its joined licence and subject, and its earlier events."""

    rows: pd.DataFrame
    pairs: pd.DataFrame  # (target row, event) for each event before the as-of date, with its age in days
    licence_at: np.ndarray  # each target's row in history.licences (-1: none)
    subject_at: np.ndarray  # and in history.subjects
    history: History
    counts: dict[float, np.ndarray]  # events per target row and category, per window
    since_term: np.ndarray  # for each pair: on or after the start of the term running on the as-of date

    @property
    def n(self) -> int:
        return len(self.rows)

    @property
    def as_of(self) -> np.ndarray:
        return self.rows["as_of_day"].to_numpy()

    def chosen(self, feature: Feature) -> np.ndarray:
        """The pairs of the feature's categories and window."""
        categories = [CATEGORIES.index(name) for name in feature.chosen_categories]
        hit = np.isin(self.pairs["category"].cat.codes.to_numpy(), categories)
        hit &= self.pairs["age"].to_numpy() <= feature.window_days
        return hit & self.since_term if feature.since == "term" else hit

    def record(self, whose: str, column: str) -> pd.Series:
        """A licence or subject column for each target row (missing where the target has none)."""
        table, at = (
            (self.history.licences, self.licence_at) if whose == "licence" else (self.history.subjects, self.subject_at)
        )
        return _rows_at(table[[column]], at)[column]


def build_features(targets: pd.DataFrame, history: History, spec: FeatureFile | None = None) -> pd.DataFrame:
    """One row per target (`licence_no`, `as_of`), in the targets' order: the feature file's features (the shipped
    one by default), GROUPS, FACTS and STANDING."""
    spec = spec or shipped_features()
    known = _known(targets, history, spec)
    out = pd.DataFrame(index=targets.index)
    for feature in spec.features:
        out[feature.name] = _BUILDERS[feature.kind](feature, spec, known)
    rows, pairs, n = known.rows, known.pairs, known.n
    # Text goes out as categories or as the Arrow text it came in: a column of a million Python strings costs a
    # second to build and another for the model to take apart again.
    out["township"] = rows["township"].fillna("未知").array
    out["type_label"] = rows["type_label"].fillna(rows["licence_type"]).array
    if "subject_kind" not in out:
        out["subject_kind"] = pd.Categorical(rows["kind"].fillna("unknown"))
    out["last_failed_inspection_year"] = _last_year(pairs, "inspection_failed", n)
    out["last_penalty_year"] = _last_year(pairs, "penalty", n, prefix=True)
    out["open_penalties"] = np.bincount(pairs["row"].to_numpy()[pairs["open"].to_numpy(dtype=bool)], minlength=n)
    for name in STANDING:
        out[name] = rows[name].array
    return out


@cache
def shipped_features() -> FeatureFile:
    return load_features(DEFAULT_FEATURES)


def _known(targets: pd.DataFrame, history: History, spec: FeatureFile) -> _Known:
    rows, pairs, licence_at, subject_at = _joined(targets, history, coded_events(history.events, spec))
    windows = {f.window_days for f in spec.features if f.kind is Kind.COUNT and f.since is None}
    counts = _counts_by_window(
        pairs["row"].to_numpy(), pairs["category"].cat.codes.to_numpy(), pairs["age"].to_numpy(), len(rows), windows
    )
    term_start = _term_start(pairs, _first_issue(rows, pairs))
    since_term = pairs["occurred"].to_numpy() >= term_start[pairs["row"].to_numpy()]
    return _Known(rows, pairs, licence_at, subject_at, history, counts, since_term)


def _count(feature: Feature, _: FeatureFile, known: _Known) -> np.ndarray:
    if feature.since is not None:
        return np.bincount(known.pairs["row"].to_numpy()[known.chosen(feature)], minlength=known.n)
    table = known.counts[feature.window_days]
    columns = [CATEGORIES.index(name) for name in feature.chosen_categories]
    counted: np.ndarray = table[:, columns].sum(axis=1, dtype=np.int64)
    return counted


def _open(feature: Feature, spec: FeatureFile, known: _Known) -> np.ndarray:
    closing = feature.model_copy(update={"categories": feature.closed_by, "event_kinds": []})
    return (_count(feature, spec, known) > _count(closing, spec, known)).astype(int)


def _days_since(feature: Feature, _: FeatureFile, known: _Known) -> np.ndarray:
    hit = known.chosen(feature)
    latest = known.pairs[hit].groupby("row")["occurred"].max()
    days = np.full(known.n, np.nan)
    days[latest.index.to_numpy()] = known.as_of[latest.index.to_numpy()] - latest.to_numpy()
    return days


def _statistic(feature: Feature, spec: FeatureFile, known: _Known) -> Any:
    column = attribute_column(feature.attribute or "")
    hit = known.chosen(feature) & known.pairs[column].notna().to_numpy()
    chosen = known.pairs.loc[hit, ["row", "occurred", column]]
    if feature.kind is Kind.LAST:
        last = chosen.sort_values(["row", "occurred"], kind="stable").drop_duplicates("row", keep="last")
        values = pd.Series(last[column].to_numpy(), index=last["row"].to_numpy())
    else:
        values = chosen.groupby("row")[column].agg(str(feature.kind))
    values = values.reindex(range(known.n))
    if spec.is_categorical(feature):
        return pd.Categorical(values.fillna("none").astype(str))
    return values.astype("float64").to_numpy()


def _last_of(feature: Feature, _: FeatureFile, known: _Known) -> pd.Categorical[Any]:
    chosen = feature.chosen_categories
    events = known.pairs[known.chosen(feature)].sort_values(["row", "occurred"], kind="stable")
    last = events.drop_duplicates("row", keep="last")
    codes = np.full(known.n, len(chosen), dtype=np.int8)  # "none": no such event before
    place = np.array([chosen.index(name) if name in chosen else -1 for name in CATEGORIES])
    codes[last["row"].to_numpy()] = place[last["category"].cat.codes.to_numpy()]
    head = chosen[0].split("_")[0] + "_"  # a shared first word goes: renewal_approved, renewal_refused → approved
    prefix = head if len(chosen) > 1 and all(name.startswith(head) for name in chosen) else ""
    return pd.Categorical.from_codes(
        codes, dtype=pd.CategoricalDtype([*(c.removeprefix(prefix) for c in chosen), "none"])
    )


def _record(feature: Feature, spec: FeatureFile, known: _Known) -> Any:
    column = feature.column or attribute_column(feature.attribute or "")
    values = known.record(str(feature.kind), column)
    if spec.is_categorical(feature):
        return pd.Categorical(
            values.astype(object).where(values.notna(), "unknown").astype(str)
            if feature.attribute
            else values.fillna("unknown")
        )
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()


def _years_since(feature: Feature, _: FeatureFile, known: _Known) -> np.ndarray:
    column = feature.column or attribute_column(feature.attribute or "")
    days = day_numbers(known.record(feature.of or "licence", column))
    years: np.ndarray = ((known.as_of - days) / YEAR).clip(min=0)
    return years


def _present(feature: Feature, _: FeatureFile, known: _Known) -> np.ndarray:
    found = np.zeros(known.n, dtype=bool)
    for name in feature.columns:
        whose, column = name.split(".", 1)
        found |= known.record(whose, column).notna().to_numpy()
    return found.astype(int)


def _other_licences(feature: Feature, _: FeatureFile, known: _Known) -> np.ndarray:
    """The subject's other licences whose current term began by the as-of date (a licence renewed since counts
    from its current term only: fewer, never one not yet held)."""
    own = pd.DataFrame(
        {
            "row": np.arange(known.n),
            "licence_no": known.rows["licence_no"].array,
            "subject_key": known.rows["subject_key"].array,
        }
    )
    held = known.history.licences[["licence_no", "subject_key", "valid_from"]].rename(columns={"licence_no": "other"})
    pairs = own.merge(held, on="subject_key")
    started = day_numbers(pairs["valid_from"]) <= known.as_of[pairs["row"].to_numpy()]
    other = (pairs["other"] != pairs["licence_no"]).to_numpy() & started
    return np.bincount(pairs["row"].to_numpy()[other], minlength=known.n)


_BUILDERS: dict[Kind, Callable[[Feature, FeatureFile, _Known], Any]] = {
    Kind.COUNT: _count,
    Kind.OPEN: _open,
    Kind.DAYS_SINCE: _days_since,
    Kind.LAST: _statistic,
    Kind.MEAN: _statistic,
    Kind.MAX: _statistic,
    Kind.LAST_OF: _last_of,
    Kind.LICENCE: _record,
    Kind.SUBJECT: _record,
    Kind.YEARS_SINCE: _years_since,
    Kind.PRESENT: _present,
    Kind.OTHER_LICENCES: _other_licences,
}


def _joined(
    targets: pd.DataFrame, history: History, coded: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]:
    """Each target with its licence's and its subject's attributes (missing where the registry has none), and the
    (target row, event) pairs for the events before its as-of date: the licence's own events, and its subject's
    events that name no licence (such as the abnormal-operation list).

    Every key column of one kind (licence number, subject key) is encoded against one dictionary in one pass: the
    joins are then array lookups. Text keys hashed once per join would be most of the features' time."""
    licences = history.licences[[*LICENCE_ATTRIBUTES, "status"]].rename(columns={"status": "licence_status"})
    subjects = history.subjects[[*SUBJECT_ATTRIBUTES, "status", "serious_violation_list"]].rename(
        columns={"mobile": "subject_mobile", "status": "subject_status"}
    )
    rows = targets[["licence_no", "as_of"]].reset_index(drop=True)
    by_licence = _codes(rows["licence_no"], licences["licence_no"], coded["licence_no"])
    licence_at = _first_rows(by_licence)
    rows = rows.join(_rows_at(licences.drop(columns="licence_no"), licence_at))
    by_subject = _codes(rows["subject_key"], subjects["subject_key"], coded["subject_key"])
    subject_at = _first_rows(by_subject)
    rows = rows.join(_rows_at(subjects.drop(columns="subject_key"), subject_at))
    rows["as_of_day"] = day_numbers(rows["as_of"])
    rows["valid_from_day"] = day_numbers(rows["valid_from"])
    rows["registered_day"] = day_numbers(rows["registered_on"])
    # An event's licence number is missing where it names a subject only, and its subject key where it names a
    # licence (`models.store_io`): each event pairs by one key.
    pairs = pd.concat([_pairs_by(by_licence, coded), _pairs_by(by_subject, coded)], ignore_index=True)
    pairs["age"] = rows["as_of_day"].to_numpy()[pairs["row"].to_numpy()] - pairs["occurred"].to_numpy()
    return rows, pairs[pairs["age"] > 0].reset_index(drop=True), licence_at, subject_at


@dataclass(frozen=True)
class _Codes:
    """Key columns (targets', a table's, events') as codes into one dictionary of their values; -1 where missing."""

    targets: np.ndarray
    table: np.ndarray
    events: np.ndarray
    size: int  # of the dictionary


def _codes(targets: pd.Series, table: pd.Series, events: pd.Series) -> _Codes:
    chunks: list[pa.Array] = []
    for column in (targets, table, events):
        array = _text(column)
        chunks += array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    encoded = pc.dictionary_encode(pa.chunked_array(chunks, pa.large_string()))
    indices = [np.asarray(c.indices.fill_null(-1).to_numpy(zero_copy_only=False), np.int64) for c in encoded.chunks]
    every = np.concatenate(indices) if indices else np.empty(0, np.int64)
    first, second = len(targets), len(targets) + len(table)
    size = len(encoded.chunks[0].dictionary) if encoded.num_chunks else 0
    return _Codes(every[:first], every[first:second], every[second:], size)


def _first_rows(codes: _Codes) -> np.ndarray:
    """For each target, the first row of the table with its key (-1 where none)."""
    first = np.full(codes.size + 1, -1, dtype=np.int64)  # the extra last place answers a missing key (-1)
    values, at = np.unique(codes.table, return_index=True)
    known = values >= 0
    first[values[known]] = at[known]
    found: np.ndarray = first[codes.targets]
    return found


def _rows_at(table: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """The table's rows at these positions, all missing at -1."""
    return table.reset_index(drop=True).reindex(at).reset_index(drop=True)


def _text(values: pd.Series | np.ndarray) -> pa.Array:
    """Keys as Arrow large text (pandas' own, so no copy): a column that is all missing would otherwise be typed as
    nothing at all, and match no text column."""
    return pa.array(values, pa.large_string(), from_pandas=True)


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Dates as day numbers (NaN where missing), the unit every window here is counted in."""
    values = pd.to_datetime(dates).to_numpy().astype("datetime64[D]")
    days = values.astype("int64").astype("float64")
    days[np.isnat(values)] = np.nan
    return days


def coded_events(events: pd.DataFrame, spec: FeatureFile) -> pd.DataFrame:
    """The events that have a category, as the classifier uses them: whose, which category, which day, whether an
    open penalty, and the typed attributes the feature file reads."""
    used = events[events["category"].notna()]
    attributes = [attribute_column(name) for name in spec.attributes.events]
    return pd.DataFrame(
        {
            "licence_no": used["licence_no"].array,
            "subject_key": used["subject_key"].array,
            "category": pd.Categorical.from_codes(
                used["category"].to_numpy(dtype=np.int8), dtype=pd.CategoricalDtype(CATEGORIES)
            ),
            "occurred": day_numbers(used["occurred_on"]),
            "open": used["open"].to_numpy(dtype=bool),
            **{name: used[name].array for name in attributes},
        }
    )


def _pairs_by(codes: _Codes, events: pd.DataFrame) -> pd.DataFrame:
    """Every (target row, event) with the same key, in the events' order (targets may share a key: a licence
    renewed twice is two training targets). With the keys as codes, the join is counting."""
    target_codes = codes.targets
    per_code = np.bincount(target_codes[target_codes >= 0], minlength=codes.size)
    rows_by_code = np.argsort(target_codes, kind="stable")[(target_codes < 0).sum() :]  # target rows by code
    first_of_code = np.cumsum(per_code) - per_code
    targeted = np.flatnonzero(codes.events >= 0)
    event_codes = codes.events[targeted]
    repeats = per_code[event_codes]
    event_at = np.repeat(targeted, repeats)
    within = np.arange(len(event_at)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    pairs = events.drop(columns=["licence_no", "subject_key"]).iloc[event_at].reset_index(drop=True)
    pairs.insert(0, "row", rows_by_code[np.repeat(first_of_code[event_codes], repeats) + within])
    return pairs


def _counts_by_window(
    row_of: np.ndarray, codes: np.ndarray, ages: np.ndarray, n: int, windows: set[float]
) -> dict[float, np.ndarray]:
    """Events per target row and category (a rows × categories table) for each window the features count over:
    one pass over the pairs per window, rather than one per feature."""
    cell = row_of.astype(np.int64) * len(CATEGORIES) + codes
    return {
        days: np.bincount(cell[ages <= days], minlength=n * len(CATEGORIES)).astype(np.int32).reshape(n, -1)
        for days in windows
    }


def _first_issue(rows: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """When the licence was first issued, from what was known on the as-of date: a term before its first earlier
    renewal; else the current term's start, if it had begun; else (a term being renewed right then) a term ago."""
    as_of = rows["as_of_day"].to_numpy()
    valid_from = rows["valid_from_day"].to_numpy()
    first = np.where(valid_from <= as_of, valid_from, as_of - TERM_DAYS)
    first_renewal = pairs[pairs["category"].isin(RENEWALS)].groupby("row")["occurred"].min()
    first[first_renewal.index.to_numpy()] = first_renewal.to_numpy() - TERM_DAYS
    return first


def _term_start(pairs: pd.DataFrame, first_issue: np.ndarray) -> np.ndarray:
    """The start of the term running on the as-of date: the last renewal before it, else the first issue."""
    start = first_issue.copy()
    last = pairs[pairs["category"].isin(RENEWALS)].groupby("row")["occurred"].max()
    start[last.index.to_numpy()] = last.to_numpy()
    start[np.isnan(start)] = -np.inf  # no known start: every change counts
    return start


def _last_year(pairs: pd.DataFrame, category: str, n: int, prefix: bool = False) -> np.ndarray:
    """The year of the latest event of a category in the 5 years before the as-of date (0 where there is none)."""
    chosen = [name for name in CATEGORIES if name.startswith(category)] if prefix else [category]
    hit = pairs["category"].isin(chosen).to_numpy() & (pairs["age"].to_numpy() <= 5 * YEAR)
    latest = pairs[hit].groupby("row")["occurred"].max()
    years = np.zeros(n, dtype=int)
    dates = latest.to_numpy().astype("int64").astype("datetime64[D]")
    years[latest.index.to_numpy()] = dates.astype("datetime64[Y]").astype(int) + 1970
    return years
