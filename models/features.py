"""Features of a licence as of a date, built only from what was known before that date. Pure and vectorised.

A target is a (licence, as-of date) pair: a historical renewal to learn from, or a licence to score today. Events
on or after the as-of date are never counted, so a model trained on the past sees the past as it was then.
Subject attributes (size, kind) and contact details exist only as they are now; the model card says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from models.categories import CATEGORIES, CHANGE_KINDS

YEAR = 365.25
TERM_DAYS = 1826  # a five-year licence term, used to date the first issue of a licence renewed before

# Each feature belongs to a group: reasons are given per group, in the group's own words.
NUMERIC: dict[str, str] = {
    "renewals_before": "renewals",
    "renewals_corrected": "renewals",
    "renewals_refused": "renewals",
    "inspections_3y": "inspections",
    "inspections_failed_1y": "inspections",
    "inspections_failed_3y": "inspections",
    "inspections_failed_5y": "inspections",
    "inspections_partly_3y": "inspections",
    "inspections_partly_5y": "inspections",
    "penalties_3y": "penalties",
    "penalties_5y": "penalties",
    "penalties_heavy_5y": "penalties",
    "penalties_serious_5y": "penalties",
    "changes_address": "changes",
    "changes_legal_rep": "changes",
    "changes_scope": "changes",
    "abnormal_now": "abnormal",
    "abnormal_listed_3y": "abnormal",
    "abnormal_listed_ever": "abnormal",
    "complaints_3y": "complaints",
    "complaints_upheld_3y": "complaints",
    "complaints_upheld_5y": "complaints",
    "has_mobile": "contact",
    "subject_years": "subject",
    "employees": "subject",
    "revenue_10k_yuan": "subject",
}
CATEGORICAL: dict[str, str] = {
    "licence_type": "licence",
    "subject_kind": "subject",
    "last_renewal": "renewals",
}
FEATURES = [*NUMERIC, *CATEGORICAL]
GROUP_OF = NUMERIC | CATEGORICAL
# Not model inputs: the groups the evaluation reports on, and facts the reasons quote.
GROUPS = ["township", "type_label", "subject_kind"]
FACTS = ["last_failed_inspection_year", "last_penalty_year", "open_penalties"]
# What the hard legal rules look at (`domain.routing.rules.hard_rules`), carried so scoring need not look them up again.
STANDING = ["licence_status", "subject_status", "serious_violation_list"]
LICENCE_ATTRIBUTES = ["licence_no", "subject_key", "licence_type", "type_label", "valid_from", "mobile"]
SUBJECT_ATTRIBUTES = ["subject_key", "kind", "township", "employees", "revenue_10k_yuan", "registered_on", "mobile"]
RENEWALS = ["renewal_approved", "renewal_corrected", "renewal_refused"]


@dataclass(frozen=True)
class History:
    """The registry as the classifier reads it (see `models.store_io`)."""

    licences: pd.DataFrame  # licence_no, subject_key, licence_type, type_label, valid_from, status, mobile
    subjects: pd.DataFrame  # subject_key, kind, township, employees, revenue_10k_yuan, registered_on, mobile
    # licence_no; subject_key (only where no licence is named); category (the place in CATEGORIES, missing where
    # no rule matched); occurred_on; open (1 for an open penalty); and, read for training, kind and outcome
    events: pd.DataFrame


def build_features(targets: pd.DataFrame, history: History) -> pd.DataFrame:
    """One row per target (`licence_no`, `as_of`), in the targets' order: FEATURES, GROUPS, FACTS and STANDING."""
    rows, pairs = _joined(targets, history, coded_events(history.events))
    out = pd.DataFrame(index=targets.index)
    n = len(rows)
    codes, ages, row_of = pairs["category"].cat.codes.to_numpy(), pairs["age"].to_numpy(), pairs["row"].to_numpy()

    by_window = _counts_by_window(row_of, codes, ages, n)

    def count(categories: list[str], within_days: float = np.inf) -> np.ndarray:
        table = by_window[within_days]
        return sum((table[:, CATEGORIES.index(name)] for name in categories), np.zeros(n, dtype=np.int64))

    first_issue = _first_issue(rows, pairs)
    term_start = _term_start(pairs, first_issue)
    since_term = pairs["occurred"].to_numpy() >= term_start[pairs["row"].to_numpy()]
    as_of = rows["as_of_day"].to_numpy()

    out["renewals_before"] = count(RENEWALS)
    out["renewals_corrected"] = count(["renewal_corrected"])
    out["renewals_refused"] = count(["renewal_refused"])
    out["inspections_3y"] = count(["inspection_failed", "inspection_partly", "inspection_passed"], 3 * YEAR)
    for years in (1, 3, 5):
        out[f"inspections_failed_{years}y"] = count(["inspection_failed"], years * YEAR)
    out["inspections_partly_3y"] = count(["inspection_partly"], 3 * YEAR)
    out["inspections_partly_5y"] = count(["inspection_partly"], 5 * YEAR)
    out["penalties_3y"] = count(["penalty", "penalty_heavy", "penalty_serious"], 3 * YEAR)
    out["penalties_5y"] = count(["penalty", "penalty_heavy", "penalty_serious"], 5 * YEAR)
    out["penalties_heavy_5y"] = count(["penalty_heavy"], 5 * YEAR)
    out["penalties_serious_5y"] = count(["penalty_serious"], 5 * YEAR)
    for change in CHANGE_KINDS:
        hit = (pairs["category"] == f"change_{change}").to_numpy() & since_term
        out[f"changes_{change}"] = np.bincount(pairs["row"].to_numpy()[hit], minlength=n)
    out["abnormal_now"] = (count(["abnormal_listed"]) > count(["abnormal_removed"])).astype(int)
    out["abnormal_listed_3y"] = count(["abnormal_listed"], 3 * YEAR)
    out["abnormal_listed_ever"] = count(["abnormal_listed"])
    out["complaints_3y"] = count(["complaint", "complaint_upheld"], 3 * YEAR)
    out["complaints_upheld_3y"] = count(["complaint_upheld"], 3 * YEAR)
    out["complaints_upheld_5y"] = count(["complaint_upheld"], 5 * YEAR)
    out["has_mobile"] = (rows["mobile"].notna() | rows["subject_mobile"].notna()).astype(int).to_numpy()
    out["subject_years"] = ((as_of - rows["registered_day"].to_numpy()) / YEAR).clip(min=0)
    out["employees"] = rows["employees"].astype("float64").to_numpy()
    out["revenue_10k_yuan"] = rows["revenue_10k_yuan"].astype("float64").to_numpy()
    # Text goes out as categories or as the Arrow text it came in: a column of a million Python strings costs a
    # second to build and another for the model to take apart again.
    out["licence_type"] = pd.Categorical(rows["licence_type"].fillna("unknown"))
    out["subject_kind"] = pd.Categorical(rows["kind"].fillna("unknown"))
    out["last_renewal"] = _last_renewal(pairs, n)
    out["township"] = rows["township"].fillna("未知").array
    out["type_label"] = rows["type_label"].fillna(rows["licence_type"]).array
    out["last_failed_inspection_year"] = _last_year(pairs, "inspection_failed", n)
    out["last_penalty_year"] = _last_year(pairs, "penalty", n, prefix=True)
    out["open_penalties"] = np.bincount(pairs["row"].to_numpy()[pairs["open"].to_numpy(dtype=bool)], minlength=n)
    for name in STANDING:
        out[name] = rows[name].array
    return out


def _joined(targets: pd.DataFrame, history: History, coded: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    rows = rows.join(_rows_at(licences.drop(columns="licence_no"), _first_rows(by_licence)))
    by_subject = _codes(rows["subject_key"], subjects["subject_key"], coded["subject_key"])
    rows = rows.join(_rows_at(subjects.drop(columns="subject_key"), _first_rows(by_subject)))
    rows["as_of_day"] = day_numbers(rows["as_of"])
    rows["valid_from_day"] = day_numbers(rows["valid_from"])
    rows["registered_day"] = day_numbers(rows["registered_on"])
    # An event's licence number is missing where it names a subject only, and its subject key where it names a
    # licence (`models.store_io`): each event pairs by one key.
    pairs = pd.concat([_pairs_by(by_licence, coded), _pairs_by(by_subject, coded)], ignore_index=True)
    pairs["age"] = rows["as_of_day"].to_numpy()[pairs["row"].to_numpy()] - pairs["occurred"].to_numpy()
    return rows, pairs[pairs["age"] > 0].reset_index(drop=True)


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


def coded_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events that have a category, as the classifier uses them: whose, which category, which day, and whether
    an open penalty."""
    used = events[events["category"].notna()]
    return pd.DataFrame(
        {
            "licence_no": used["licence_no"].array,
            "subject_key": used["subject_key"].array,
            "category": pd.Categorical.from_codes(
                used["category"].to_numpy(dtype=np.int8), dtype=pd.CategoricalDtype(CATEGORIES)
            ),
            "occurred": day_numbers(used["occurred_on"]),
            "open": used["open"].to_numpy(dtype=bool),
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
    pairs = events[["category", "occurred", "open"]].iloc[event_at].reset_index(drop=True)
    pairs.insert(0, "row", rows_by_code[np.repeat(first_of_code[event_codes], repeats) + within])
    return pairs


def _counts_by_window(row_of: np.ndarray, codes: np.ndarray, ages: np.ndarray, n: int) -> dict[float, np.ndarray]:
    """Events per target row and category (a rows × categories table) for each window the features count over:
    one pass over the pairs per window, rather than one per feature."""
    cell = row_of.astype(np.int64) * len(CATEGORIES) + codes
    return {
        days: np.bincount(cell[ages <= days], minlength=n * len(CATEGORIES)).astype(np.int32).reshape(n, -1)
        for days in (1 * YEAR, 3 * YEAR, 5 * YEAR, np.inf)
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


def _last_renewal(pairs: pd.DataFrame, n: int) -> pd.Categorical[Any]:
    renewals = pairs[pairs["category"].isin(RENEWALS)].sort_values(["row", "occurred"], kind="stable")
    last = renewals.drop_duplicates("row", keep="last")
    codes = np.full(n, len(RENEWALS), dtype=np.int8)  # "none": no earlier renewal
    renewal_of = np.array([RENEWALS.index(name) if name in RENEWALS else -1 for name in CATEGORIES])
    codes[last["row"].to_numpy()] = renewal_of[last["category"].cat.codes.to_numpy()]
    outcomes = [name.removeprefix("renewal_") for name in RENEWALS]
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype([*outcomes, "none"]))


def _last_year(pairs: pd.DataFrame, category: str, n: int, prefix: bool = False) -> np.ndarray:
    """The year of the latest event of a category in the 5 years before the as-of date (0 where there is none)."""
    chosen = [name for name in CATEGORIES if name.startswith(category)] if prefix else [category]
    hit = pairs["category"].isin(chosen).to_numpy() & (pairs["age"].to_numpy() <= 5 * YEAR)
    latest = pairs[hit].groupby("row")["occurred"].max()
    years = np.zeros(n, dtype=int)
    dates = latest.to_numpy().astype("int64").astype("datetime64[D]")
    years[latest.index.to_numpy()] = dates.astype("datetime64[Y]").astype(int) + 1970
    return years
