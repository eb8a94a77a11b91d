"""The figures as pure functions of the cases' moments (read by `domain.kpi.reads`). Each figure's definition is
in FIGURES, where the README and the exports take it from: one place says what a number means."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd

from domain.ratings.grades import POOR, SATISFIED
from ground.calendar import WorkingDayCalendar

COUNTY = "全县"


@dataclass(frozen=True)
class Figure:
    label: str  # the column heading a bureau reads
    definition: str


FIGURES: dict[str, Figure] = {
    "lapsed": Figure(
        "到期未延续（件）", "renewal cases that lapsed in the period: the licence expired with no renewal filed"
    ),
    "lapsed_reachable": Figure(
        "其中可联系（件）", "of those, holders we could reach: a valid mobile or a postal address on record"
    ),
    "filed": Figure("代为提交（件）", "renewal applications the bot filed on the platform in the period"),
    "open_to_filing_wd": Figure(
        "窗口开启至提交（工作日，中位数）",
        "median working days from the day the renewal window opened to the day the application was filed",
    ),
    "decided": Figure("已作出决定（件）", "of the applications filed in the period, those the approver decided"),
    "filing_to_decision_wd": Figure(
        "提交至审批决定（工作日，中位数）", "median working days from filing to the approver's own decision time"
    ),
    "within_promise": Figure(
        "承诺时限内办结率",
        "share of the decided applications decided within their type's promised working days of filing "
        "(promised_working_days in the licence types file: 1 for a food licence renewed seamlessly)",
    ),
    "completion_rate": Figure("办结率", "share of the applications filed in the period that were decided by its end"),
    "chases": Figure(
        "催办（次）",
        "chases (催办) sent in the period, by SMS to the approving department, about a filed renewal or subsidy still "
        "undecided past its promised working days: first to its contact, again every chase.repeat_working_days",
    ),
    "chases_escalated": Figure(
        "其中督办分管负责人（次）",
        "of those, the chases sent to the department's supervisor, once its contact had been chased "
        "chase.contact_chases times",
    ),
    "renewed": Figure(
        "换发电子证照（件）", "licences renewed in our records, with an electronic licence, in the period"
    ),
    "subsidies_matched": Figure("政策匹配（件）", "subsidy cases opened by policy matching in the period"),
    "subsidies_paid": Figure("资金拨付（件）", "subsidy cases whose payment the treasury recorded in the period"),
    "subsidies_paid_yuan": Figure("拨付金额（元）", "yuan paid on those cases"),
    "matched_to_paid_wd": Figure(
        "匹配至拨付（工作日，中位数）", "median working days from matching to payment, of the cases paid in the period"
    ),
    "ratings": Figure("好差评（件）", "ratings received in the period (one per finished case, by SMS reply)"),
    "satisfaction_rate": Figure(
        "满意率", "share of those ratings that are 非常满意, 满意 or 基本满意 (the first three of the five levels)"
    ),
    "poor_ratings": Figure("差评（件）", "of those ratings, the 不满意 and 非常不满意"),
    "poor_closed_in_time": Figure(
        "差评按期回访（件）",
        "of those poor ratings, the ones whose call-back (回访) was recorded by their deadline, "
        "15 working days after the day of the rating",
    ),
}
SHARES = frozenset({"within_promise", "completion_rate", "satisfaction_rate"})  # shown as percentages


class Moments(NamedTuple):
    """What the figures are computed from (domain/kpi/reads.py reads each from the store)."""

    renewals: pd.DataFrame
    subsidies: pd.DataFrame
    ratings: pd.DataFrame
    chases: pd.DataFrame


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def holds(self, moments: pd.Series) -> pd.Series:
        """Which of these days (dates at midnight, or NaT) fall in the period."""
        held: pd.Series = moments.notna() & (moments >= pd.Timestamp(self.start)) & (moments <= pd.Timestamp(self.end))
        return held


def figures(
    moments: Moments,
    period: Period,
    calendar: WorkingDayCalendar,
    promises: Mapping[str, int],
    by: str | None = None,
) -> pd.DataFrame:
    """One row for the county (and one per value of `by`: township, licence_type or officer), a column per figure.

    `moments.renewals`: licence_type, township, reachable, window_opens_on, filed_on, decided_on, lapsed_on, renewed_on
    (dates or NaT); `subsidies`: township, matched_on, paid_on, amount_yuan; `ratings`: township, licence_type,
    grade, rated_on, due_on, called_back_on; `chases`: licence_type, township, chased_on, level.
    """
    rows = {COUNTY: _row(moments, period, calendar, promises)}
    if by is not None:
        groups = set().union(*(set(frame[by].dropna()) for frame in moments if by in frame))
        for group in sorted(groups):
            of_group = Moments(*(_of_group(frame, by, group) for frame in moments))
            rows[str(group)] = _row(of_group, period, calendar, promises)
    return pd.DataFrame.from_dict(rows, orient="index")[list(FIGURES)]


def _of_group(frame: pd.DataFrame, by: str, group: object) -> pd.DataFrame:
    """The frame's rows of the group; none where the frame has no such column (subsidies have no licence type)."""
    return frame[frame[by] == group] if by in frame else frame.iloc[0:0]


def _row(
    moments: Moments,
    period: Period,
    calendar: WorkingDayCalendar,
    promises: Mapping[str, int],
) -> dict[str, float | int | None]:
    renewals, subsidies, ratings, chases = moments
    lapsed = renewals[period.holds(renewals["lapsed_on"])]
    filed = renewals[period.holds(renewals["filed_on"])]
    decided = filed[filed["decided_on"].notna() & (filed["decided_on"] <= pd.Timestamp(period.end))]
    to_decision = _working_days(calendar, decided["filed_on"], decided["decided_on"])
    promised = np.array([promises.get(kind, 0) for kind in decided["licence_type"]], dtype=np.int64)
    paid = subsidies[period.holds(subsidies["paid_on"])]
    chased = chases[period.holds(chases["chased_on"])]
    return {
        "lapsed": len(lapsed),
        "lapsed_reachable": int(lapsed["reachable"].sum()),
        "filed": len(filed),
        "open_to_filing_wd": _median(_working_days(calendar, filed["window_opens_on"], filed["filed_on"])),
        "decided": len(decided),
        "filing_to_decision_wd": _median(to_decision),
        "within_promise": _share(int((to_decision <= promised).sum()), len(decided)),
        "completion_rate": _share(len(decided), len(filed)),
        "chases": len(chased),
        "chases_escalated": int((chased["level"] == "supervisor").sum()),
        "renewed": int(period.holds(renewals["renewed_on"]).sum()),
        "subsidies_matched": int(period.holds(subsidies["matched_on"]).sum()),
        "subsidies_paid": len(paid),
        "subsidies_paid_yuan": int(paid["amount_yuan"].fillna(0).sum()),
        "matched_to_paid_wd": _median(_working_days(calendar, paid["matched_on"], paid["paid_on"])),
        **_rating_figures(ratings[period.holds(ratings["rated_on"])]),
    }


def _rating_figures(rated: pd.DataFrame) -> dict[str, float | int | None]:
    poor = rated[rated["grade"].isin(POOR)]
    return {
        "ratings": len(rated),
        "satisfaction_rate": _share(int(rated["grade"].isin(SATISFIED).sum()), len(rated)),
        "poor_ratings": len(poor),
        "poor_closed_in_time": int((poor["called_back_on"] <= poor["due_on"]).sum()),  # NaT compares False
    }


def weekly(
    moments: Moments,
    period: Period,
    calendar: WorkingDayCalendar,
    promises: Mapping[str, int],
) -> pd.DataFrame:
    """The county's figures week by week (Monday to Sunday) across the period, for the trend plots."""
    monday = period.start - pd.Timedelta(days=period.start.weekday())
    weeks = pd.date_range(monday, period.end, freq="7D")
    rows = {}
    for start in weeks:
        week = Period(max(start.date(), period.start), min((start + pd.Timedelta(days=6)).date(), period.end))
        rows[start.date()] = _row(moments, week, calendar, promises)
    return pd.DataFrame.from_dict(rows, orient="index")[list(FIGURES)]


def _working_days(calendar: WorkingDayCalendar, start: pd.Series, end: pd.Series) -> np.ndarray:
    if start.empty:
        return np.empty(0, dtype=np.int64)
    counted = calendar.working_days_between(
        start.to_numpy(dtype="datetime64[D]"), end.to_numpy(dtype="datetime64[D]")
    ).counts
    return np.asarray(counted, dtype=np.int64)


def _median(values: np.ndarray) -> float | None:
    return float(np.median(values)) if len(values) else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
