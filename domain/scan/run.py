"""The expiry scan over the store: one renewal case per licence and expiry, created, refreshed or withdrawn.

Running it twice changes nothing: cases are found by their natural key, and only real differences are written,
each with a ledger entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select

from domain.licence_types import LicenceType
from domain.scan.windows import (
    CLOSED_SUBJECT_STATUSES,
    RENEWABLE_LICENCE_STATUSES,
    add_windows,
    due_for_case,
    natural_keys,
    withdrawal_reason,
)
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.cases.kinds import Kind
from ground.cases.lifecycle import FINAL_STATES, OPEN_STATES, WITHDRAWABLE_BY_SCAN, State
from ground.cases.moves import move_cases, note_cases, open_cases
from ground.store.reads import query_frame
from ground.store.tables import cases, licences, subjects

ACTOR = "scan"
WINDOW_FIELDS = ["window_opens_on", "window_closes_on", "window_reference", "calendar_warning"]


@dataclass
class ScanReport:
    as_of: date
    licences: int = 0
    due: int = 0
    created: int = 0
    refreshed: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    calendar_assumed: int = 0
    due_by_type: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("as_of", "warnings")}


def read_licences(connection: Connection) -> pd.DataFrame:
    """Every licence, with its subject's status where the subject is closed (the only status the scan uses).

    Closed subjects are few, so they are joined in pandas rather than joining every licence in SQL.
    """
    columns = [licences.c[name] for name in ("licence_no", "licence_type", "expires_on", "status", "subject_key")]
    frame = query_frame(connection, select(*columns), dates=["expires_on"])
    closed = connection.execute(
        select(subjects.c.subject_key, subjects.c.status).where(subjects.c.status.in_(CLOSED_SUBJECT_STATUSES))
    ).all()
    frame["subject_status"] = frame["subject_key"].map({key: status for key, status in closed}).astype("str")
    return frame


def run_scan(
    engine: Engine,
    types: Mapping[str, LicenceType],
    calendar: WorkingDayCalendar,
    as_of: date,
    now: datetime,
    lead_working_days: int = 10,
    lapsed_grace_days: int = 90,
) -> ScanReport:
    report = ScanReport(as_of=as_of)
    with engine.begin() as connection:
        frame = read_licences(connection)
        report.licences = len(frame)
        horizon = calendar.add_working_days(np.array([as_of], dtype="datetime64[D]"), lead_working_days).dates[0]
        windowed = add_windows(frame, types, calendar, as_of)
        due = windowed[due_for_case(windowed, pd.Timestamp(horizon).date(), as_of, lapsed_grace_days)].copy()
        due["natural_key"] = natural_keys(due)
        due["calendar_warning"] = calendar_warnings(due, calendar)
        report.due = len(due)
        report.due_by_type = {str(k): int(v) for k, v in due["licence_type"].value_counts().items()}
        report.calendar_assumed = int(due["calendar_assumed"].sum())
        existing = _open_cases(connection)
        ended = _ended_keys(connection, due["natural_key"])
        _create(connection, due[~due["natural_key"].isin([*existing["natural_key"], *ended])], now, report)
        _refresh(connection, due.merge(existing, on="natural_key", suffixes=("", "_case")), now, report)
        _withdraw(connection, existing[~existing["natural_key"].isin(due["natural_key"])], windowed, now, report)
    if report.calendar_assumed:
        years = sorted(set(range(as_of.year, as_of.year + 7)) - calendar.known_years)
        report.warnings.append(
            f"{report.calendar_assumed} cases have windows counted {_COUNTED_HOW[calendar.unknown_year]} in years "
            f"with no published holiday schedule ({', '.join(map(str, years[:3]))}…): the windows are provisional; "
            "add holiday files to make them exact"
        )
    return report


# How a year without schedule was counted, for the operator (English) and on the case (Chinese).
# Under `stop` nothing is ever counted there, so it needs no wording.
_COUNTED_HOW = {
    UnknownYearPolicy.RULE: "with the statutory holidays by rule (adjusted working days unknown)",
    UnknownYearPolicy.WEEKDAYS: "Monday-Friday",
}
_COUNTED_HOW_ZH = {
    UnknownYearPolicy.RULE: "按《全国年节及纪念日放假办法》计入法定节假日，调休上班日未知，工作日为暂定",
    UnknownYearPolicy.WEEKDAYS: "按周一至周五计算工作日",
}


def calendar_warnings(due: pd.DataFrame, calendar: WorkingDayCalendar) -> pd.Series:
    """A warning on each case whose window touched a provisional year, naming the unpublished years it spans."""
    warnings = pd.Series(None, index=due.index, dtype=object)
    assumed = due[due["calendar_assumed"]]
    if assumed.empty:
        return warnings
    how = _COUNTED_HOW_ZH[calendar.unknown_year]
    spans = pd.DataFrame({"first": assumed["window_opens_on"].dt.year, "last": assumed["expires_on"].dt.year})
    for span, rows in spans.groupby(["first", "last"]).groups.items():
        first, last = (int(year) for year in span)  # type: ignore[attr-defined]
        unknown = [str(y) for y in range(first, last + 1) if y not in calendar.known_years]
        warnings[rows] = f"{'、'.join(unknown)}年节假日安排未公布：{how}，待补充节假日文件后自动重算"
    return warnings


def _open_cases(connection: Connection) -> pd.DataFrame:
    query = select(
        cases.c.id,
        cases.c.natural_key,
        cases.c.state,
        cases.c.licence_no,
        *(cases.c[f] for f in WINDOW_FIELDS),
    )
    query = query.where(cases.c.kind == Kind.RENEWAL.value, cases.c.state.in_([s.value for s in OPEN_STATES]))
    return query_frame(connection, query, dates=["window_opens_on", "window_closes_on"])


def _ended_keys(connection: Connection, keys: pd.Series) -> list[str]:
    """The keys among `keys` whose case has ended (lapsed, done, withdrawn): a licence term has one case, ever."""
    ended = [s.value for s in FINAL_STATES]
    found: list[str] = []
    for start in range(0, len(keys), 10_000):  # bounded IN lists
        chunk = keys.iloc[start : start + 10_000].tolist()
        found += connection.execute(
            select(cases.c.natural_key).where(cases.c.natural_key.in_(chunk), cases.c.state.in_(ended))
        ).scalars()
    return found


def _create(connection: Connection, new: pd.DataFrame, now: datetime, report: ScanReport) -> None:
    report.created = len(new)
    columns = ["natural_key", "licence_no", "subject_key", "licence_type", "expires_on", *WINDOW_FIELDS]
    window = new["window_opens_on"].dt.strftime("%Y-%m-%d") + " – " + new["window_closes_on"].dt.strftime("%Y-%m-%d")
    opened = new[columns].assign(reason="renewal window " + window)
    open_cases(connection, opened, Kind.RENEWAL, State.NEW, ACTOR, now)


def _refresh(connection: Connection, both: pd.DataFrame, now: datetime, report: ScanReport) -> None:
    """Cases whose window moved (a new holiday file, a changed rule) get the new window and a ledger entry."""
    differs = pd.Series(False, index=both.index)
    for name in WINDOW_FIELDS:
        new, old = both[name], both[f"{name}_case"]
        differs |= ~((new == old) | (new.isna() & old.isna()))
    changed = both[differs]
    report.refreshed, report.unchanged = len(changed), len(both) - len(changed)
    notes = changed[["id", "natural_key", "state", *WINDOW_FIELDS]].assign(reason="renewal window recomputed")
    note_cases(connection, notes, ACTOR, now)


def _withdraw(
    connection: Connection,
    not_due: pd.DataFrame,
    licences_now: pd.DataFrame,
    now: datetime,
    report: ScanReport,
) -> None:
    """Withdraw open cases whose licence can no longer be renewed, or was renewed some other way.

    A case that is only outside the scan's horizon or grace period is left alone. A case the approver returned is
    withdrawn only when its licence was renewed some other way (a new term in the registry, e.g. at the department's
    counter): left open, the renewal round would lapse it on the old expiry and tell the holder a renewed licence
    had expired.
    """
    returned = not_due["state"] == State.RETURNED.value
    candidates = not_due[not_due["state"].isin([s.value for s in WITHDRAWABLE_BY_SCAN]) | returned]
    current = licences_now[["licence_no", "expires_on", "status", "subject_status"]]
    merged = candidates.merge(current, on="licence_no", how="left")
    in_registry = merged["status"].notna()
    same_term = in_registry & (merged["natural_key"] == natural_keys(merged.fillna({"expires_on": pd.NaT})))
    renewable = merged["status"].isin(RENEWABLE_LICENCE_STATUSES) & ~merged["subject_status"].isin(
        CLOSED_SUBJECT_STATUSES
    )
    renewed_elsewhere = in_registry & renewable & ~same_term
    gone = merged[~(same_term & renewable) & ((merged["state"] != State.RETURNED.value) | renewed_elsewhere)]
    reasons = [
        withdrawal_reason(
            None if pd.isna(row["status"]) else row["status"],
            None if pd.isna(row["subject_status"]) else row["subject_status"],
            None if pd.isna(row["expires_on"]) else row["expires_on"].strftime("%Y-%m-%d"),
        )
        for row in gone.to_dict("records")
    ]
    report.withdrawn = len(gone)
    move_cases(connection, gone[["id", "natural_key", "state"]].assign(reason=reasons), State.WITHDRAWN, ACTOR, now)
