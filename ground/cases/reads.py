"""What the operator reads about cases: listings by state, route, type or policy, one case whole with its ledger and
the bots' attempts, and the counts by kind, state and route."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, func, or_, select

from ground.store.reads import stored_moment
from ground.store.tables import bot_attempts, case_transitions, cases, subjects


@dataclass(frozen=True)
class CaseRow:
    """A case as listings show it: a renewal's licence and window, or a subsidy's policy, period and payment."""

    id: int
    kind: str
    state: str
    route: str | None
    licence_no: str | None
    licence_type: str | None
    subject_key: str | None
    policy_id: str | None
    period: str | None
    amount_yuan: int | None
    score: float | None
    reasons: dict[str, Any] | None  # the score's rule and factors, as scoring wrote them (JSON)
    expires_on: date | None
    window_opens_on: date | None
    window_closes_on: date | None
    calendar_warning: str | None
    parked_reason: str | None
    platform_ref: str | None
    application_no: str | None
    paid_at: datetime | None
    payment_ref: str | None


_CASE_COLUMNS = [cases.c[field.name] for field in fields(CaseRow)]
_SEARCHED = (cases.c.licence_no, cases.c.subject_key, cases.c.application_no, cases.c.platform_ref)


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a listing shows; a condition left None does not narrow it."""

    kind: str | None = None
    policy_id: str | None = None
    state: str | None = None
    route: str | None = None
    licence_type: str | None = None
    closes_before: date | None = None  # the renewal window closes before this day
    warned: bool = False  # only cases whose working days were counted on an assumed calendar
    townships: tuple[str, ...] | None = None  # only cases of subjects in these townships (an officer's, or one)
    ids: tuple[int, ...] | None = None  # only these cases (those a survey found, e.g. overdue)
    search: str | None = None  # a licence, subject, application or reference number, or part of one

    def conditions(self) -> list[ColumnElement[bool]]:
        equal = (
            (cases.c.kind, self.kind),
            (cases.c.policy_id, self.policy_id),
            (cases.c.state, self.state),
            (cases.c.route, self.route),
            (cases.c.licence_type, self.licence_type),
        )
        conditions = [column == value for column, value in equal if value is not None]
        if self.closes_before is not None:
            conditions.append(cases.c.window_closes_on < self.closes_before)
        if self.warned:
            conditions.append(cases.c.calendar_warning.is_not(None))
        if self.townships is not None:
            in_townships = select(subjects.c.subject_key).where(subjects.c.township.in_(self.townships))
            conditions.append(cases.c.subject_key.in_(in_townships))
        if self.ids is not None:
            conditions.append(cases.c.id.in_(self.ids))
        if self.search:
            conditions.append(or_(*(column.contains(self.search, autoescape=True) for column in _SEARCHED)))
        return conditions


def count_cases(connection: Connection, which: CaseFilter) -> int:
    return int(connection.execute(select(func.count()).select_from(cases).where(*which.conditions())).scalar_one())


def list_cases(connection: Connection, which: CaseFilter, limit: int, offset: int = 0) -> list[CaseRow]:
    """The matching cases, most urgent first: earliest window close (subsidies have none: by id, oldest first)."""
    query = (
        select(*_CASE_COLUMNS)
        .where(*which.conditions())
        .order_by(cases.c.window_closes_on, cases.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [_case(row) for row in connection.execute(query).mappings()]


def one_case(connection: Connection, case_id: int) -> CaseRow | None:
    row = connection.execute(select(*_CASE_COLUMNS).where(cases.c.id == case_id)).mappings().one_or_none()
    return None if row is None else _case(row)


def _case(row: RowMapping) -> CaseRow:
    paid_at = row["paid_at"]
    return CaseRow(**{**row, "paid_at": None if paid_at is None else stored_moment(paid_at)})


@dataclass(frozen=True)
class LedgerEntry:
    at: datetime
    old_state: str | None
    new_state: str | None
    actor: str
    reason: str
    details: dict[str, Any]  # what the step kept with the move (JSON): evidence paths, provider errors, …


def ledger(connection: Connection, case_id: int) -> list[LedgerEntry]:
    """The case's ledger (台账), oldest entry first."""
    query = (
        select(
            case_transitions.c.at,
            case_transitions.c.old_state,
            case_transitions.c.new_state,
            case_transitions.c.actor,
            case_transitions.c.reason,
            case_transitions.c.details,
        )
        .where(case_transitions.c.case_id == case_id)
        .order_by(case_transitions.c.at, case_transitions.c.id)
    )
    return [
        LedgerEntry(**{**row, "at": stored_moment(row["at"]), "details": row["details"] or {}})
        for row in connection.execute(query).mappings()
    ]


@dataclass(frozen=True)
class Attempt:
    bot: str
    started_at: datetime
    outcome: str
    error: str | None
    evidence: dict[str, Any]  # screenshot, trace and page paths the bot kept (JSON)


def attempts(connection: Connection, case_id: int) -> list[Attempt]:
    """Every bot attempt on the case, first first."""
    query = (
        select(
            bot_attempts.c.bot,
            bot_attempts.c.started_at,
            bot_attempts.c.outcome,
            bot_attempts.c.error,
            bot_attempts.c.evidence,
        )
        .where(bot_attempts.c.case_id == case_id)
        .order_by(bot_attempts.c.id)
    )
    return [
        Attempt(**{**row, "started_at": stored_moment(row["started_at"]), "evidence": row["evidence"] or {}})
        for row in connection.execute(query).mappings()
    ]


@dataclass(frozen=True)
class CaseCount:
    kind: str
    state: str
    route: str | None
    cases: int


def case_counts(connection: Connection) -> list[CaseCount]:
    """How many cases there are of each kind, state and route, in that order."""
    query = select(cases.c.kind, cases.c.state, cases.c.route, func.count()).group_by(
        cases.c.kind, cases.c.state, cases.c.route
    )
    counts = [CaseCount(kind, state, route, count) for kind, state, route, count in connection.execute(query)]
    return sorted(counts, key=lambda c: (c.kind, c.state, c.route or ""))
