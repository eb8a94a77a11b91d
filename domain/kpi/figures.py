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
    definition: str  # for the README and the exports' readers
    meaning: str  # 口径: the definition as staff read it in the console


FIGURES: dict[str, Figure] = {
    "lapsed": Figure(
        "到期未延续（件）",
        "renewal cases that lapsed in the period: the licence expired with no renewal filed",
        meaning="期内到期未申请延续、证照失效的续证案件",
    ),
    "lapsed_reachable": Figure(
        "其中可联系（件）",
        "of those, holders we could reach: a valid mobile or a postal address on record",
        meaning="其中留有有效手机号或通讯地址、本可联系到的持证人",
    ),
    "lapsed_in_reach": Figure(
        "其中立案时尚可申请（件）",
        "of those reachable holders, the ones whose case was opened while the legal window was still open: "
        "renewals the service could lawfully have filed and did not, the figure that must be 0 (a licence found "
        "after its window had closed, as on a first load, is counted above but not here)",
        meaning="其中持证人可联系、且系统立案时法定申请期限尚未届满的：本可依法办理而未办，应为0",
    ),
    "filed": Figure(
        "代为提交（件）",
        "renewal applications the bot filed on the platform in the period",
        meaning="期内由系统在审批平台代为提交的续证申请",
    ),
    "open_to_filing_wd": Figure(
        "窗口开启至提交（工作日，中位数）",
        "median working days from the day the renewal window opened to the day the application was filed",
        meaning="自续证窗口开启之日至提交申请之日的工作日数（中位数）",
    ),
    "decided": Figure(
        "已作出决定（件）",
        "of the applications filed in the period, those the approver decided",
        meaning="期内提交的申请中，审批人已作出决定的",
    ),
    "filing_to_decision_wd": Figure(
        "提交至审批决定（工作日，中位数）",
        "median working days from filing to the approver's own decision time",
        meaning="自提交申请至审批人作出决定的工作日数（中位数）",
    ),
    "within_promise": Figure(
        "承诺时限内办结率",
        "share of the decided applications decided within their type's promised working days of filing "
        "(promised_working_days in the licence types file: 1 for a food licence renewed seamlessly)",
        meaning="已决定的申请中，在该类许可承诺工作日内作出决定的比例",
    ),
    "completion_rate": Figure(
        "办结率",
        "share of the applications filed in the period that were decided by its end",
        meaning="期内提交的申请中，至期末已作出决定的比例",
    ),
    "chases": Figure(
        "催办（次）",
        "chases (催办) sent in the period, by SMS to the approving department, about a filed renewal or subsidy still "
        "undecided past its promised working days: first to its contact, again every chase.repeat_working_days",
        meaning="期内向审批部门发出的催办短信：超过承诺时限仍未决定的申请，先催办联络人，按间隔再次催办",
    ),
    "chases_escalated": Figure(
        "其中督办分管负责人（次）",
        "of those, the chases sent to the department's supervisor, once its contact had been chased "
        "chase.contact_chases times",
        meaning="其中联络人已被催办规定次数后，发给部门分管负责人的督办",
    ),
    "renewed": Figure(
        "换发电子证照（件）",
        "licences renewed in our records, with an electronic licence, in the period",
        meaning="期内在本系统登记延续并换发电子证照的许可",
    ),
    "subsidies_matched": Figure(
        "政策匹配（件）",
        "subsidy cases opened by policy matching in the period",
        meaning="期内经政策匹配新建的惠企资金案件",
    ),
    "subsidies_paid": Figure(
        "资金拨付（件）",
        "subsidy cases whose payment the treasury recorded in the period",
        meaning="期内财政登记已拨付的惠企资金案件",
    ),
    "subsidies_paid_yuan": Figure("拨付金额（元）", "yuan paid on those cases", meaning="上述案件拨付的金额（元）"),
    "matched_to_paid_wd": Figure(
        "匹配至拨付（工作日，中位数）",
        "median working days from matching to payment, of the cases paid in the period",
        meaning="期内已拨付案件自匹配至拨付的工作日数（中位数）",
    ),
    "ratings": Figure(
        "好差评（件）",
        "ratings received in the period (one per finished case, by SMS reply)",
        meaning="期内收到的好差评（每个办结案件一次，短信回复）",
    ),
    "satisfaction_rate": Figure(
        "满意率",
        "share of those ratings that are 非常满意, 满意 or 基本满意 (the first three of the five levels)",
        meaning="上述评价中“非常满意、满意、基本满意”所占比例",
    ),
    "poor_ratings": Figure(
        "差评（件）", "of those ratings, the 不满意 and 非常不满意", meaning="上述评价中“不满意、非常不满意”的件数"
    ),
    "poor_closed_in_time": Figure(
        "差评按期回访（件）",
        "of those poor ratings, the ones whose call-back (回访) was recorded by their deadline, "
        "15 working days after the day of the rating",
        meaning="上述差评中，在评价之日后15个工作日内登记回访的件数",
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

    `moments.renewals`: licence_type, township, reachable, window_opens_on, window_closes_on, found_on (the day the
    case opened), filed_on, decided_on, lapsed_on, renewed_on (dates or NaT); `subsidies`: township, matched_on,
    paid_on, amount_yuan; `ratings`: township, licence_type, grade, rated_on, due_on, called_back_on; `chases`:
    licence_type, township, chased_on, level.
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
        "lapsed_in_reach": int((lapsed["reachable"] & (lapsed["found_on"] <= lapsed["window_closes_on"])).sum()),
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
