"""Which cases the bots take: the seamless cases to file today (and those that wait because the platform does not
file them online), the filed cases whose decision is to be read back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select

from bots.filings import Filing
from bots.profile import SiteProfile
from domain.renewals.law import fileable_renewal
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.outside_work.leases import claimable, run_out
from ground.store.tables import cases


def seamless_cases(
    engine: Engine,
    profile: SiteProfile,
    limit: int | None,
    filings: dict[str, Filing],
    today: date,
    late_types: frozenset[str],
    matters: frozenset[str] | None = None,
    lease: tuple[str, datetime] | None = None,
) -> list[dict[str, Any]]:
    """Seamless cases with no application yet, of the kinds this platform files online (on `matters`, default
    all), that may be filed today; renewals (which have a deadline) first, the soonest-closing window first. With
    `lease` (round, now): only those the round may claim, not those another round is at work on."""
    query = (
        select(
            cases.c.id,
            cases.c.kind,
            cases.c.state,
            cases.c.platform_ref,
            cases.c.licence_type,
            cases.c.score,
            cases.c.model_version,
            cases.c.reasons,
            cases.c.subject_key,
            cases.c.policy_id,
            cases.c.period,
            cases.c.amount_yuan,
            cases.c.trace,
        )
        .where(_due(profile, filings, today, late_types, matters))
        .order_by(cases.c.window_closes_on.nulls_last(), cases.c.id)
        .limit(limit)
    )
    if lease is not None:
        query = query.where(claimable(*lease))
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def due_matters(
    engine: Engine, profile: SiteProfile, filings: dict[str, Filing], now: datetime, late_types: frozenset[str]
) -> dict[str, int]:
    """The matters (forms) on which seamless cases wait to be filed on `now`'s day (the platform's), and how many
    wait on each that no round is at work on."""
    columns = (cases.c.kind, cases.c.licence_type, cases.c.policy_id)
    due = _due(profile, filings, now.date(), late_types, None)
    query = select(*columns, func.count()).where(due, run_out(now)).group_by(*columns)
    found: dict[str, int] = {}
    with engine.connect() as connection:
        for kind, licence_type, policy_id, count in connection.execute(query).tuples():
            matter = filings[kind].matter(profile, {"licence_type": licence_type, "policy_id": policy_id})
            found[matter] = found.get(matter, 0) + count
    return found


def _due(
    profile: SiteProfile,
    filings: dict[str, Filing],
    today: date,
    late_types: frozenset[str],
    matters: frozenset[str] | None,
) -> ColumnElement[bool]:
    return and_(
        or_(*(and_(cases.c.kind == k, f.column.in_(f.online_on(profile, matters))) for k, f in filings.items())),
        or_(
            fileable_renewal(today, late_types),
            and_(cases.c.kind == Kind.SUBSIDY.value, cases.c.state == State.ROUTED.value),
        ),
        cases.c.route == Route.SEAMLESS.value,
        cases.c.application_no.is_(None),
    )


def offline(engine: Engine, profile: SiteProfile, filings: dict[str, Filing]) -> list[tuple[str, str, dict[str, int]]]:
    """(kind, what, value → cases) for the seamless cases waiting because the platform does not file them."""
    found = []
    for kind, filing in filings.items():
        query = (
            select(filing.column, func.count())
            .where(
                cases.c.kind == kind,
                cases.c.state.in_([State.ROUTED.value, State.AWAITING_CONSENT.value, State.CONSENTED.value]),
                cases.c.route == Route.SEAMLESS.value,
                filing.column.not_in(filing.online(profile)),
            )
            .group_by(filing.column)
        )
        with engine.connect() as connection:
            waiting = {str(key): int(count) for key, count in connection.execute(query).all()}
        if waiting:
            found.append((kind, filing.what, waiting))
    return found


def prefilled_cases(engine: Engine) -> list[dict[str, Any]]:
    """The filed cases waiting for the approver's decision, for the status sync."""
    query = select(cases.c.id, cases.c.kind, cases.c.licence_type, cases.c.platform_ref, cases.c.application_no).where(
        cases.c.state == State.PREFILLED.value, cases.c.platform_ref.is_not(None)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]
