"""Recording the notices that are due in the outbox, each under its natural key, with its channel chosen: an SMS
when the holder has a usable mobile that has not opted out and the event's template renders within the rules,
otherwise a letter (with the reason kept) — except the 好差评 notices, which are SMS only
(notifications/rating_notices.py). Notices still waiting whose case has moved on are cancelled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Connection, Engine, FromClause, and_, func, or_, select

from domain.licence_types import LicenceType
from domain.policies.periods import period_words
from domain.renewals.assisted import return_reasons
from domain.renewals.law import last_filing_day, window_on
from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.events import STAFF_EVENTS, Event
from ground.store.reads import stored_moment
from ground.store.tables import cases, licences, notifications, subjects
from notifications import outbox
from notifications.events import SMS_ONLY
from notifications.letters.address import address_lines
from notifications.notifier import Notifier
from notifications.outbox import Status
from notifications.planning import Due, due_events, natural_key, subsidy_due_events
from notifications.rating_notices import rating_dues
from notifications.recipients import mobile
from notifications.sms import TemplateNotApproved
from notifications.sms_text import SmsRuleError

NOTICE_STATES = (State.AWAITING_CONSENT, State.PREFILLED, State.RETURNED, State.ROUTED, State.PARKED)
# Final states whose one notice is still due: the case ended (lapsed, or renewed and done) in the last days.
ENDED_STATES = (State.LAPSED, State.DONE)
ENDED_NOTICE_DAYS = 30
SUBSIDY_NOTICE_STATES = (State.PAID,)


@dataclass
class EnqueueReport:
    recorded: dict[str, int] = field(default_factory=dict)  # channel → new notices
    cancelled: int = 0

    def as_counts(self) -> dict[str, int]:
        return {**{f"new {channel}": n for channel, n in self.recorded.items()}, "cancelled": self.cancelled}


def enqueue_due(engine: Engine, notifier: Notifier, today: date, now: datetime) -> EnqueueReport:
    now = now.astimezone(UTC)  # SQLite keeps no offset: every stored moment is UTC
    with engine.connect() as connection:
        open_cases = _with_standing(_open_cases(connection, now - timedelta(days=ENDED_NOTICE_DAYS)), notifier, today)
        planned = [(case, event, key) for case in open_cases for event, key in _planned(case, notifier, today)]
        # A notice already in the outbox is never recorded again (its natural key): its text is not worked out
        # again either. This runs over every open case every few minutes, and most notices are already there.
        recorded = outbox.recorded_keys(connection, [key for _, _, key in planned])
        new = [(case, event, key) for case, event, key in planned if key not in recorded]
        ratings = rating_dues(connection, notifier, now)
        due_for = [(_due(case, event, key, notifier, today), case) for case, event, key in new] + ratings
        opted_out = outbox.opted_out(connection, [m for _, c in due_for if (m := c["mobile"])])
    due_keys = {key for _, _, key in planned} | {due.key for due, _ in ratings}
    report = EnqueueReport(cancelled=_cancel_stale(engine, due_keys, now))
    rows = [row for due, case_of in due_for if (row := _row(due, case_of, notifier, opted_out, now))]
    for channel in ("sms", "letter"):
        report.recorded[channel] = outbox.record(engine, [row for row in rows if row["channel"] == channel])
    return report


def holders() -> tuple[FromClause, tuple[ColumnElement[Any], ...]]:
    """Cases joined to their holder, and who the holder is: a renewal's licence holder (the licence's mobile
    first), a subsidy's subject (it has no licence)."""
    subject_key = func.coalesce(licences.c.subject_key, cases.c.subject_key)
    joined = cases.outerjoin(licences, licences.c.licence_no == cases.c.licence_no).outerjoin(
        subjects, subjects.c.subject_key == subject_key
    )
    columns = (
        func.coalesce(licences.c.holder_name, subjects.c.name).label("holder_name"),
        func.coalesce(subjects.c.address, licences.c.address).label("address"),
        func.coalesce(licences.c.mobile, subjects.c.mobile).label("raw_mobile"),
        subjects.c.township,
    )
    return joined, columns


def _open_cases(connection: Connection, ended_since: datetime) -> list[dict[str, Any]]:
    joined, holder = holders()
    query = (
        select(
            cases.c.id,
            cases.c.kind,
            cases.c.state,
            cases.c.route,
            cases.c.licence_no,
            cases.c.licence_type,
            cases.c.expires_on,
            cases.c.window_opens_on,
            cases.c.window_closes_on,
            cases.c.consent_deadline,
            cases.c.new_expires_on,
            cases.c.materials_received,
            cases.c.application_no,
            cases.c.reasons,
            cases.c.period,
            cases.c.amount_yuan,
            cases.c.trace,
            cases.c.paid_at,
            *holder,
        )
        .select_from(joined)
        .where(
            or_(
                and_(cases.c.kind == Kind.RENEWAL.value, licences.c.id.is_not(None), cases.c.state.in_(NOTICE_STATES)),
                and_(
                    cases.c.kind == Kind.RENEWAL.value,
                    licences.c.id.is_not(None),
                    cases.c.state.in_(ENDED_STATES),
                    cases.c.updated_at >= ended_since,
                ),
                and_(cases.c.kind == Kind.SUBSIDY.value, cases.c.state.in_(SUBSIDY_NOTICE_STATES)),
            )
        )
    )
    rows = [dict(row) for row in connection.execute(query).mappings()]
    reasons = return_reasons(connection, [row["id"] for row in rows if row["state"] == State.RETURNED])
    for row in rows:
        row["mobile"] = mobile(row["raw_mobile"])
        row["return_reason"] = reasons.get(row["id"], "（退回原因见平台）")
    return rows


def _planned(case: dict[str, Any], notifier: Notifier, today: date) -> list[tuple[Event, str]]:
    """(event, natural key) of each notice the case calls for today."""
    if case["kind"] == Kind.SUBSIDY:
        return [(event, natural_key(case["id"], event, suffix)) for event, suffix in subsidy_due_events(case)]
    if case["licence_type"] not in notifier.licence_types:  # a type no longer configured: nothing can be said
        return []
    return [
        (event, natural_key(case["id"], event, suffix))
        for event, suffix in due_events(case, today, notifier.settings.reminder_marks)
    ]


def _due(case: dict[str, Any], event: Event, key: str, notifier: Notifier, today: date) -> Due:
    """The notice with the values its templates receive."""
    if case["kind"] == Kind.SUBSIDY:
        return Due(case["id"], event, key, _subsidy_context(case, notifier))
    licence_type = notifier.licence_types[case["licence_type"]]
    return Due(case["id"], event, key, _context(case, licence_type, event, notifier, today))


def _with_standing(open_cases: list[dict[str, Any]], notifier: Notifier, today: date) -> list[dict[str, Any]]:
    """Each renewal of a configured type with today's facts its notices rest on: its window, the last day to apply,
    the working days left to expiry and to that day, and by when an assisted holder can supply what is needed (a
    later working day than today, no later than the last day to apply; None when none is left). The working days
    are counted for all cases at once: this runs over every open case every few minutes."""
    renewals = [c for c in open_cases if c["kind"] == Kind.RENEWAL and c["licence_type"] in notifier.licence_types]
    if not renewals:
        return open_cases
    calendar, types = notifier.calendar, notifier.licence_types
    rules = [types[c["licence_type"]].after_window.rule for c in renewals]
    apply_by = [
        last_filing_day(c["window_closes_on"], c["expires_on"], r) for c, r in zip(renewals, rules, strict=True)
    ]
    start = np.full(len(renewals), np.datetime64(today, "D"))
    to_expiry = calendar.working_days_between(start, np.array([c["expires_on"] for c in renewals], "datetime64[D]"))
    to_apply_by = calendar.working_days_between(start, np.array(apply_by, dtype="datetime64[D]"))
    supply_until = calendar.working_day_after(today, notifier.settings.supply_working_days)
    for i, (case, rule) in enumerate(zip(renewals, rules, strict=True)):
        supply = min(supply_until, apply_by[i])
        case |= {
            "window": window_on(
                today, case["window_opens_on"], case["window_closes_on"], case["expires_on"], rule
            ).value,
            "apply_by": apply_by[i],
            "working_days_to_expiry": int(to_expiry.counts[i]),
            "working_days_to_apply_by": int(to_apply_by.counts[i]),
            "supply_deadline": supply if supply > today else None,
        }
    return open_cases


def _context(
    case: dict[str, Any], licence_type: LicenceType, event: Event, notifier: Notifier, today: date
) -> dict[str, Any]:
    """The values every template of `event` receives; dates as ISO text, as the outbox keeps them. A count of
    working days rests on the calendar: where it spans a year whose holidays are not yet published, no exact
    count is stated."""
    common = {
        "holder_name": case["holder_name"],
        "licence_no": case["licence_no"],
        "licence_type_label": licence_type.label,
        "bureau": notifier.settings.bureau.model_dump(),
    }
    expires: date = case["expires_on"]
    provisional = notifier.calendar.is_provisional(today, case["apply_by"])
    own: dict[Event, dict[str, Any]] = {
        Event.CONSENT_REQUEST: {
            "expires_on": expires,
            "application_name": licence_type.application_name,
            "deadline": case["consent_deadline"],
        },
        Event.SEAMLESS_STARTED: {
            "expires_on": expires,
            "application_no": case["application_no"],
            "promised_on": notifier.calendar.working_day_after(today, licence_type.promised_working_days),
        },
        Event.RENEWED: {"application_no": case["application_no"], "new_expires_on": case["new_expires_on"]},
        Event.SUPPLY_MATERIALS: {
            "expires_on": expires,
            "missing": notifier.materials.missing(licence_type.materials, case["reasons"]),
            "deadline": case["supply_deadline"],
            "apply_by": case["apply_by"],
        },
        Event.EXPIRY_REMINDER: {
            "expires_on": expires,
            "apply_by": case["apply_by"],
            "working_days_left": None if provisional else case["working_days_to_apply_by"],
        },
        Event.WINDOW_CLOSED: {"expires_on": expires, "closed_on": case["window_closes_on"]},
        Event.LAPSED: {"expired_on": expires, "cancelled_by": licence_type.cancelled_by},
        Event.RETURNED: {"application_no": case["application_no"], "reason": case["return_reason"]},
    }
    values = {name: _plain(value) for name, value in own[event].items()}
    return {**common, **values}


def _subsidy_context(case: dict[str, Any], notifier: Notifier) -> dict[str, Any]:
    """The 惠企政策免申即享 notice's values: the policy, the amount, the period and the day it was paid there."""
    paid_at: datetime = case["paid_at"]
    return {
        "holder_name": case["holder_name"],
        "bureau": notifier.settings.bureau.model_dump(),
        "policy_title": case["trace"]["policy"]["title"],
        "amount_yuan": case["amount_yuan"],
        "period": period_words(case["period"]),
        "paid_on": stored_moment(paid_at).astimezone(notifier.zone).date().isoformat(),
    }


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text (numpy and pandas dates too)."""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return date.fromisoformat(str(value)[:10]).isoformat()
    return value


def _row(
    due: Due, case: dict[str, Any], notifier: Notifier, opted_out: set[str], now: datetime
) -> dict[str, Any] | None:
    """The outbox row: an SMS when it can go, else a letter, or nothing for an event that is SMS only."""
    base = {
        "natural_key": due.key,
        "case_id": due.case_id,
        "event": due.event.value,
        "context": due.context,
        "status": Status.CREATED.value,
        "due_at": now,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }
    recipient = case["mobile"]
    why_not = "无有效手机号" if recipient is None else ("已退订短信" if recipient in opted_out else None)
    if why_not is None:
        try:
            sms = notifier.templates[due.event].render(due.context)
        except (TemplateNotApproved, SmsRuleError) as exc:
            why_not = f"短信不可发送：{exc}"
        else:
            return {
                **base,
                "channel": "sms",
                "recipient": recipient,
                "body": sms.body,
                "template_id": sms.template_id,
                "segments": sms.cost.segments,
            }
    if due.event in SMS_ONLY:
        return None
    return {**base, **letter_fields(case["holder_name"], case["address"], case["township"]), "error": why_not}


def letter_fields(name: str, address: str | None, township: str | None) -> dict[str, Any]:
    """A letter's envelope: the lines break between whole place names; the postcode is looked up by township when
    the letter is printed (from the operator's list as it is then)."""
    lines = address_lines(address or "", township)
    return {"channel": "letter", "address": {"name": name, "lines": list(lines), "township": township}}


def _cancel_stale(engine: Engine, due_keys: set[str], now: datetime) -> int:
    """Cancel waiting SMS and letters whose case no longer calls for them (approved before the reminder went).
    Messages to staff are notifications/chases.py's to cancel."""
    query = select(notifications.c.id, notifications.c.natural_key).where(
        notifications.c.status == Status.CREATED.value,
        notifications.c.fallback_of.is_(None),
        notifications.c.event.not_in([event.value for event in STAFF_EVENTS]),
    )
    cancelled = 0
    with engine.begin() as connection:
        for message_id, key in connection.execute(query).all():
            if key.removesuffix(":letter") not in due_keys:
                cancelled += outbox.move(
                    connection, message_id, Status.CREATED, now, status=Status.CANCELLED, error="案件已进入下一环节"
                )
    return cancelled
