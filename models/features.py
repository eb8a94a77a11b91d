"""Features of a licence as of a date, built only from what was known before that date. Pure and vectorised.

A target is a (licence, as-of date) pair: a historical renewal to learn from, or a licence to score today. Events
on or after the as-of date are never counted, so a model trained on the past sees the past as it was then.
Subject attributes (size, kind) and contact details exist only as they are now; the model card says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.categories import CATEGORIES, CHANGE_KINDS, categorise, is_open_penalty
from models.config import HistoryWords

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
RENEWALS = ["renewal_approved", "renewal_corrected", "renewal_refused"]


@dataclass(frozen=True)
class History:
    """The registry as the classifier reads it (see `models.store_io`)."""

    licences: pd.DataFrame  # licence_no, subject_key, licence_type, type_label, valid_from, status, mobile
    subjects: pd.DataFrame  # subject_key, kind, township, employees, revenue_10k_yuan, registered_on, mobile
    events: pd.DataFrame  # licence_no, subject_key, kind, occurred_on, outcome, severity, detail


def build_features(targets: pd.DataFrame, history: History, words: HistoryWords) -> pd.DataFrame:
    """One row per target (`licence_no`, `as_of`), in the targets' order: FEATURES, GROUPS and FACTS."""
    rows = _attributes(targets, history)
    pairs = _event_pairs(rows, coded_events(history.events, words))
    out = pd.DataFrame(index=targets.index)
    n = len(rows)

    def count(categories: list[str], within_days: float = np.inf) -> np.ndarray:
        hit = pairs["category"].isin(categories).to_numpy() & (pairs["age"].to_numpy() <= within_days)
        return np.bincount(pairs["row"].to_numpy()[hit], minlength=n)

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
    out["licence_type"] = rows["licence_type"].fillna("unknown").to_numpy()
    out["subject_kind"] = rows["kind"].fillna("unknown").to_numpy()
    out["last_renewal"] = _last_renewal(pairs, n)
    out["township"] = rows["township"].fillna("未知").to_numpy()
    out["type_label"] = rows["type_label"].fillna(rows["licence_type"]).to_numpy()
    out["last_failed_inspection_year"] = _last_year(pairs, "inspection_failed", n)
    out["last_penalty_year"] = _last_year(pairs, "penalty", n, prefix=True)
    out["open_penalties"] = np.bincount(pairs["row"].to_numpy()[pairs["open"].to_numpy(dtype=bool)], minlength=n)
    return out


def _attributes(targets: pd.DataFrame, history: History) -> pd.DataFrame:
    licences = history.licences[["licence_no", "subject_key", "licence_type", "type_label", "valid_from", "mobile"]]
    subjects = history.subjects.rename(columns={"mobile": "subject_mobile"})[
        ["subject_key", "kind", "township", "employees", "revenue_10k_yuan", "registered_on", "subject_mobile"]
    ]
    rows = (
        targets[["licence_no", "as_of"]]
        .reset_index(drop=True)
        .merge(licences.drop_duplicates("licence_no"), on="licence_no", how="left")
        .merge(subjects.drop_duplicates("subject_key"), on="subject_key", how="left")
    )
    rows["as_of_day"] = day_numbers(rows["as_of"])
    rows["valid_from_day"] = day_numbers(rows["valid_from"])
    rows["registered_day"] = day_numbers(rows["registered_on"])
    return rows


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Dates as day numbers (NaN where missing), the unit every window here is counted in."""
    values = pd.to_datetime(dates).to_numpy().astype("datetime64[D]")
    days = values.astype("int64").astype("float64")
    days[np.isnat(values)] = np.nan
    return days


def coded_events(events: pd.DataFrame, words: HistoryWords) -> pd.DataFrame:
    """Raw events as the classifier uses them: whose, which category, which day, and whether an open penalty."""
    coded = pd.DataFrame(
        {
            "licence_no": events["licence_no"],
            "subject_key": events["subject_key"].where(events["licence_no"].isna()),
            "category": categorise(events, words),
            "occurred": day_numbers(events["occurred_on"]),
            "open": is_open_penalty(events, words),
        }
    )
    return coded[coded["category"].notna()].reset_index(drop=True)


def _event_pairs(rows: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """(target row, event) pairs for the events before each target's as-of date: the licence's own events, and
    its subject's events that name no licence (such as the abnormal-operation list)."""
    own = coded[coded["licence_no"].notna()]
    subject_level = coded[coded["licence_no"].isna()]
    targets = pd.DataFrame(
        {"row": np.arange(len(rows)), "licence_no": rows["licence_no"], "subject_key": rows["subject_key"]}
    )
    pairs = pd.concat(
        [
            own[["licence_no", "category", "occurred", "open"]].merge(targets[["row", "licence_no"]], on="licence_no"),
            subject_level[["subject_key", "category", "occurred", "open"]].merge(
                targets[["row", "subject_key"]].dropna(), on="subject_key"
            ),
        ],
        ignore_index=True,
    )[["row", "category", "occurred", "open"]]
    pairs["age"] = rows["as_of_day"].to_numpy()[pairs["row"].to_numpy()] - pairs["occurred"].to_numpy()
    return pairs[pairs["age"] > 0].reset_index(drop=True)


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


def _last_renewal(pairs: pd.DataFrame, n: int) -> np.ndarray:
    renewals = pairs[pairs["category"].isin(RENEWALS)].sort_values(["row", "occurred"], kind="stable")
    last = renewals.drop_duplicates("row", keep="last")
    out = np.full(n, "none", dtype=object)
    out[last["row"].to_numpy()] = last["category"].astype(str).str.removeprefix("renewal_").to_numpy()
    return out


def _last_year(pairs: pd.DataFrame, category: str, n: int, prefix: bool = False) -> np.ndarray:
    """The year of the latest event of a category in the 5 years before the as-of date (0 where there is none)."""
    chosen = [name for name in CATEGORIES if name.startswith(category)] if prefix else [category]
    hit = pairs["category"].isin(chosen).to_numpy() & (pairs["age"].to_numpy() <= 5 * YEAR)
    latest = pairs[hit].groupby("row")["occurred"].max()
    years = np.zeros(n, dtype=int)
    dates = latest.to_numpy().astype("int64").astype("datetime64[D]")
    years[latest.index.to_numpy()] = dates.astype("datetime64[Y]").astype(int) + 1970
    return years
