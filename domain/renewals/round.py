"""The daily renewal round over the store, after the scan and routing: each renewal not yet filed is put where the
law says it stands today. A licence that expired unfiled lapses; a window the type's rules close leaves the case to
a person (assisted); a seamless case is put to its holder for consent (or deemed consented where the bureau's rules
say so), and goes to a person the day after its holder's deadline passes unanswered, while the window is still open
(waiting on would lose the licence). Running it twice on one day changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, or_, select

from domain.licence_types import LicenceType
from domain.renewals.law import Window, last_filing_day, window_on
from ground.calendar import WorkingDayCalendar
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.settings import ConsentMode, RenewalSettings
from ground.store.tables import cases

ACTOR = "renewal"
# Seamless cases the holder has not yet been asked about, or has authorised but that are not yet filed.
SEAMLESS_WAITING = (State.ROUTED, State.AWAITING_CONSENT, State.CONSENTED)
WINDOW_CLOSED_RULE = "已过法定延续申请期限，不能按延续办理"
NO_TIME_FOR_CONSENT_RULE = "距延续申请期限届满不足一个工作日，来不及征得授权，需工作人员联系办理"
NO_CONSENT_RULE = "持证人未在期限内确认授权，需工作人员联系办理"


@dataclass
class RenewalReport:
    lapsed: int = 0
    window_closed: int = 0
    invited: int = 0
    unanswered: int = 0
    deemed: int = 0
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_counts(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int)}

    def count(self, what: str, licence_type: str) -> None:
        setattr(self, what, getattr(self, what) + 1)
        of_type = self.by_type.setdefault(licence_type, {})
        of_type[what] = of_type.get(what, 0) + 1


@dataclass
class _Day:
    """One round's day and what it works with."""

    connection: Connection
    calendar: WorkingDayCalendar
    settings: RenewalSettings
    today: date
    now: datetime
    report: RenewalReport


def renewal_round(
    engine: Engine,
    types: Mapping[str, LicenceType],
    calendar: WorkingDayCalendar,
    settings: RenewalSettings,
    today: date,
    now: datetime,
) -> RenewalReport:
    report = RenewalReport()
    with engine.begin() as connection:
        day = _Day(connection, calendar, settings, today, now, report)
        for case in _unfiled(connection):
            licence_type = types.get(case["licence_type"])
            if licence_type is not None:
                _put_in_place(day, case, licence_type)
    return report


def _unfiled(connection: Connection) -> list[dict[str, Any]]:
    """Open renewals with no application on the platform (a returned one's application was refused)."""
    query = select(cases).where(
        cases.c.kind == Kind.RENEWAL.value,
        cases.c.window_closes_on.is_not(None),
        or_(cases.c.route.is_(None), cases.c.route != Route.NONE.value),
        or_(
            cases.c.state.in_([State.NEW.value, *(s.value for s in SEAMLESS_WAITING)])
            & cases.c.application_no.is_(None),
            cases.c.state == State.PARKED.value,
            cases.c.state == State.RETURNED.value,
        ),
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def _put_in_place(day: _Day, case: dict[str, Any], licence_type: LicenceType) -> None:
    rule = licence_type.after_window.rule
    window = window_on(day.today, case["window_opens_on"], case["window_closes_on"], case["expires_on"], rule)
    state = State(case["state"])
    if window is Window.EXPIRED:
        if (
            state is not State.PARKED or case["application_no"] is None
        ):  # a parked one filed in time awaits its decision
            _lapse(day, case, licence_type)
        return
    if state not in SEAMLESS_WAITING or case["route"] != Route.SEAMLESS.value:
        return
    if window is Window.CLOSED:
        _to_assisted(day.connection, case, WINDOW_CLOSED_RULE, licence_type.after_window.reference, day.now)
        day.report.count("window_closed", case["licence_type"])
    elif state is State.ROUTED:
        _ask(day, case, licence_type)
    elif state is State.AWAITING_CONSENT and day.today > case["consent_deadline"]:
        # No answer, or one a person must read (a reply that could answer several cases): nothing may be filed in
        # the holder's name, and a person still has the rest of the window to reach them.
        _to_assisted(day.connection, case, NO_CONSENT_RULE, None, day.now)
        day.report.count("unanswered", case["licence_type"])


def _lapse(day: _Day, case: dict[str, Any], licence_type: LicenceType) -> None:
    reason = (
        f"licence expired on {case['expires_on']} with no renewal applied for: it cannot be renewed; "
        f"to be cancelled (注销) by {licence_type.cancelled_by}"
    )
    details = {"reference": licence_type.after_window.reference}
    move_case(day.connection, case["id"], State.LAPSED, reason, ACTOR, day.now, details)
    day.report.count("lapsed", case["licence_type"])


def _ask(day: _Day, case: dict[str, Any], licence_type: LicenceType) -> None:
    """Put a seamless case to its holder: deemed consent where the bureau's rules say so, else an invitation with
    a deadline that is a later working day than today and no later than the last day it could be filed."""
    settings, kind = day.settings, case["licence_type"]
    if settings.consent is ConsentMode.DEEMED:
        reason = f"consent deemed given: {settings.consent_reference}"
        move_case(
            day.connection, case["id"], State.CONSENTED, reason, ACTOR, day.now, consent="deemed", consent_at=day.now
        )
        day.report.count("deemed", kind)
        return
    last = last_filing_day(case["window_closes_on"], case["expires_on"], licence_type.after_window.rule)
    deadline = min(day.calendar.working_day_after(day.today, settings.consent_working_days), last)
    if deadline <= day.today:
        _to_assisted(day.connection, case, NO_TIME_FOR_CONSENT_RULE, licence_type.after_window.reference, day.now)
        day.report.count("window_closed", kind)
        return
    reason = f"holder invited to authorise the renewal by {deadline}"
    move_case(day.connection, case["id"], State.AWAITING_CONSENT, reason, ACTOR, day.now, consent_deadline=deadline)
    day.report.count("invited", kind)


def _to_assisted(connection: Connection, case: dict[str, Any], rule: str, reference: str | None, now: datetime) -> None:
    """The case to a person, with the rule that sends it there and, where a law is the reason, its reference."""
    reasons = {**(case["reasons"] or {}), "rule": rule}
    move_case(
        connection,
        case["id"],
        State.ROUTED,
        f"route {case['route']} → assisted: {rule}",
        ACTOR,
        now,
        {"reference": reference} if reference else None,
        route=Route.ASSISTED.value,
        reasons=reasons,
    )
