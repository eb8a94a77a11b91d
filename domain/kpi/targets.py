"""The bureau's targets over a period (`proactive simulate` checks them after its year), each checked against
the store, and for a missed one the cases that missed it and why:

- 0 licences lapsed among reachable holders whose licence was valid at the start (and whose renewal window had not
  closed by then: a licence whose last day to apply was already past when the service started cannot be saved by it;
  those are counted apart);
- median filing → decision ≤ 1 working day (the figure `filing_to_decision_wd` of `proactive kpi`);
- every overdue case chased: each filing still undecided at the chase round of the first working day past its
  promise has a chase recorded (counted here from the ledger and the calendar, not by the chase round's own rules);
- no holder sent more SMS in a day than `notify.sms.daily_cap` (the chases to departments' staff aside)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Connection, func, select

from domain.chasing.departments import Departments, UnknownMatter, matter_of
from domain.chasing.survey import local_day
from domain.licence_types import LicenceType
from ground.calendar import WorkingDayCalendar
from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.events import STAFF_EVENTS
from ground.store.reads import stored_moment
from ground.store.tables import case_transitions, cases, chases, licences, notifications, subjects

MEDIAN_TARGET_WD = 1
CHASE_AT = time(9, 0)  # the chase round's hour (PROACTIVE_CHASE__CRON's default), as the simulation runs it
SHOWN = 20  # cases named per missed target; the count is of all


@dataclass
class Target:
    label: str  # Chinese, as the bureau states it
    measured: str
    met: bool
    misses: list[str] = field(default_factory=list)  # the cases that missed it, each with why
    missed_count: int = 0
    note: str = ""


def check_targets(
    connection: Connection,
    figures: pd.DataFrame,
    valid_at_start: Collection[str],
    start: date,
    last_day: date,
    calendar: WorkingDayCalendar,
    departments: Departments,
    types: Mapping[str, LicenceType],
    daily_cap: int,
    zone: ZoneInfo,
) -> list[Target]:
    return [
        lapsed_target(connection, valid_at_start, start),
        median_target(connection, figures, calendar, last_day, zone),
        chase_target(connection, calendar, departments, types, last_day, zone),
        cap_target(connection, daily_cap, zone),
    ]


def lapsed_target(connection: Connection, valid_at_start: Collection[str], start: date) -> Target:
    reachable = (
        func.coalesce(func.nullif(licences.c.mobile, ""), func.nullif(subjects.c.mobile, "")).is_not(None)
        | func.coalesce(func.nullif(subjects.c.address, ""), func.nullif(licences.c.address, "")).is_not(None)
    ).label("reachable")
    rows = connection.execute(
        select(cases.c.id, cases.c.licence_no, cases.c.route, cases.c.expires_on, cases.c.window_closes_on, reachable)
        .outerjoin(licences, licences.c.licence_no == cases.c.licence_no)
        .outerjoin(subjects, subjects.c.subject_key == cases.c.subject_key)
        .where(cases.c.kind == Kind.RENEWAL.value, cases.c.state == State.LAPSED.value)
        .order_by(cases.c.expires_on, cases.c.id)
    ).all()
    counted = [row for row in rows if row.licence_no in valid_at_start and row.reachable]
    closed_before = [row for row in counted if row.window_closes_on is not None and row.window_closes_on < start]
    missed = [row for row in counted if row not in closed_before]
    misses = [
        f"案件 {row.id} 许可证 {row.licence_no} 于 {row.expires_on} 到期未延续（{row.route} 路径）："
        + _why_lapsed(connection, row.id)
        for row in missed[:SHOWN]
    ]
    note = f"另有 {len(closed_before)} 件起始日前延续申请期限已过（无法由本服务挽回），不计入" if closed_before else ""
    return Target("可联系持证人到期未延续 = 0", f"{len(missed)} 件", not missed, misses, len(missed), note)


def _why_lapsed(connection: Connection, case_id: int) -> str:
    """The case's path before it lapsed, and what was sent to its holder."""
    moves = connection.execute(
        select(case_transitions.c.new_state, case_transitions.c.reason)
        .where(case_transitions.c.case_id == case_id, case_transitions.c.entity == "case")
        .order_by(case_transitions.c.at, case_transitions.c.id)
    ).all()
    path = " → ".join(dict.fromkeys(str(move.new_state) for move in moves if move.new_state))
    before = [move.reason for move in moves if move.new_state != State.LAPSED.value]
    sent = connection.execute(
        select(notifications.c.event, func.count())
        .where(notifications.c.case_id == case_id, notifications.c.sent_at.is_not(None))
        .group_by(notifications.c.event)
    ).all()
    told = ", ".join(f"{event} {n}" for event, n in sent) or "nothing sent"
    return f"path {path}; last step: {before[-1] if before else '—'}; sent: {told}"


def median_target(
    connection: Connection, figures: pd.DataFrame, calendar: WorkingDayCalendar, last_day: date, zone: ZoneInfo
) -> Target:
    value = figures["filing_to_decision_wd"].iloc[0] if len(figures) else None
    label = f"提交至审批决定中位数 ≤ {MEDIAN_TARGET_WD} 个工作日"
    if value is None or pd.isna(value):
        return Target(label, "—", False, ["no renewal was filed and decided in the period: nothing to measure"], 1)
    met = float(value) <= MEDIAN_TARGET_WD
    slow = [] if met else _slow_decisions(connection, calendar, last_day, zone)
    return Target(label, f"{float(value):g} 个工作日", met, slow[:SHOWN], len(slow))


def _slow_decisions(connection: Connection, calendar: WorkingDayCalendar, last_day: date, zone: ZoneInfo) -> list[str]:
    """Renewals filed and decided (or still waiting at the end) more than the target's working days after filing."""
    rows = _filings(connection, kinds=(Kind.RENEWAL.value,))
    out = []
    for row in rows:
        filed = local_day(row["filed_at"], zone)
        decided = local_day(row["decided_at"], zone) if row["decided_at"] else None
        end = decided or last_day
        waited = int(calendar.working_days_between(_days(filed), _days(end)).counts[0])
        if waited > MEDIAN_TARGET_WD:
            status = f"decided {decided}" if decided else f"undecided at {last_day}"
            out.append(f"案件 {row['case_id']} 申请 {row['application_no']} 提交 {filed}，{status}：{waited} 个工作日")
    return out


def chase_target(
    connection: Connection,
    calendar: WorkingDayCalendar,
    departments: Departments,
    types: Mapping[str, LicenceType],
    last_day: date,
    zone: ZoneInfo,
) -> Target:
    overdue, unchased = 0, []
    for row in _filings(connection):
        try:
            promise = matter_of(row, departments, types).promised_working_days
        except UnknownMatter as exc:
            unchased.append(f"案件 {row['case_id']}: no promise to chase against ({exc})")
            continue
        filed = local_day(row["filed_at"], zone)
        first_due = calendar.add_working_days(_days(filed), promise + 1).dates[0].astype("datetime64[D]").item()
        if first_due > last_day or _decided_before(row["decided_at"], first_due, zone):
            continue
        overdue += 1
        if not row["chases"]:
            unchased.append(
                f"案件 {row['case_id']} 申请 {row['application_no']} 提交 {filed}，承诺 {promise} 个工作日，"
                f"{first_due} 起逾期：未催办"
            )
    measured = f"{overdue - len(unchased)} / {overdue} 件逾期已催办"
    return Target("逾期案件全部催办", measured, not unchased, unchased[:SHOWN], len(unchased))


def _decided_before(decided_at: Any, day: date, zone: ZoneInfo) -> bool:  # Any: a stored moment or None
    if decided_at is None:
        return False
    return bool(stored_moment(decided_at) <= datetime.combine(day, CHASE_AT, zone))


def _filings(
    connection: Connection, kinds: tuple[str, ...] = (Kind.RENEWAL.value, Kind.SUBSIDY.value)
) -> list[dict[str, Any]]:
    """Every filing on the platform (a case's move into prefilled from elsewhere), with when its case left
    prefilled next (the decision read back) and how many chases it got."""
    filed = case_transitions.alias("filed")
    left = case_transitions.alias("left")
    decided_at = (
        select(func.min(left.c.at))
        .where(
            left.c.case_id == filed.c.case_id,
            left.c.old_state == State.PREFILLED.value,
            left.c.new_state != State.PREFILLED.value,  # a note on the case (a chase) is no decision
            left.c.at >= filed.c.at,
        )
        .scalar_subquery()
    )
    chased = select(func.count()).where(chases.c.filing_id == filed.c.id).scalar_subquery()
    query = (
        select(
            filed.c.case_id,
            filed.c.at.label("filed_at"),
            decided_at.label("decided_at"),
            chased.label("chases"),
            cases.c.kind,
            cases.c.licence_type,
            cases.c.policy_id,
            cases.c.trace,
            func.coalesce(cases.c.application_no, cases.c.platform_ref).label("application_no"),
        )
        .join(cases, cases.c.id == filed.c.case_id)
        .where(
            filed.c.new_state == State.PREFILLED.value,
            filed.c.old_state.not_in([State.PREFILLED.value, State.PARKED.value]),
            cases.c.kind.in_(kinds),
        )
        .order_by(filed.c.at, filed.c.case_id)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def cap_target(connection: Connection, daily_cap: int, zone: ZoneInfo) -> Target:
    rows = connection.execute(
        select(notifications.c.recipient, notifications.c.sent_at).where(
            notifications.c.channel == "sms",
            notifications.c.sent_at.is_not(None),
            notifications.c.event.not_in([event.value for event in STAFF_EVENTS]),
        )
    ).all()
    per_day: dict[tuple[str, date], int] = {}
    for recipient, sent_at in rows:
        key = (str(recipient), local_day(sent_at, zone))
        per_day[key] = per_day.get(key, 0) + 1
    over = sorted((key, n) for key, n in per_day.items() if n > daily_cap)
    misses = [f"{masked(mobile)} {day}: {n} 条短信（上限 {daily_cap}）" for (mobile, day), n in over]
    most = max(per_day.values(), default=0)
    measured = f"单日单号最多 {most} 条（上限 {daily_cap}），共 {len(rows)} 条"
    return Target(f"每位持证人每日短信不超过 {daily_cap} 条", measured, not over, misses[:SHOWN], len(over))


def _days(day: date) -> npt.NDArray[np.datetime64]:
    return np.array([day], dtype="datetime64[D]")


def masked(mobile: str) -> str:
    """A mobile as the bureau's lists show it: the first three digits and the last four (+86 dropped)."""
    digits = mobile.removeprefix("+86")
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"
