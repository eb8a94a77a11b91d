"""The renewal audit the demo ends with, the law checked against what was done: cases by state and route,
applications filed inside and outside their window, licences lapsed, licences renewed in our records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from domain.licence_types import LicenceType
from domain.renewals.law import last_filing_day
from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.store.reads import stored_moment
from ground.store.tables import case_transitions, cases, e_licences


@dataclass
class RenewalAudit:
    by_state_route: dict[tuple[str, str], int] = field(default_factory=dict)
    filed_in_window: int = 0
    filed_outside: list[int] = field(default_factory=list)  # case ids: must stay empty
    lapsed: int = 0
    renewed: int = 0


def renewal_audit(connection: Connection, types: Mapping[str, LicenceType], zone: ZoneInfo) -> RenewalAudit:
    figures = RenewalAudit()
    counts = connection.execute(
        select(cases.c.state, cases.c.route, func.count())
        .where(cases.c.kind == Kind.RENEWAL.value)
        .group_by(cases.c.state, cases.c.route)
    ).all()
    figures.by_state_route = {(state, route or ""): int(n) for state, route, n in counts}
    figures.lapsed = sum(n for (state, _), n in figures.by_state_route.items() if state == State.LAPSED.value)
    figures.renewed = int(connection.execute(select(func.count()).select_from(e_licences)).scalar_one())
    filed = connection.execute(
        select(
            cases.c.id,
            cases.c.licence_type,
            cases.c.window_opens_on,
            cases.c.window_closes_on,
            cases.c.expires_on,
            case_transitions.c.at,
        )
        .join(case_transitions, case_transitions.c.case_id == cases.c.id)
        .where(cases.c.kind == Kind.RENEWAL.value, case_transitions.c.new_state == State.PREFILLED.value)
    ).all()
    for case_id, kind, opens, closes, expires, at in filed:
        day = stored_moment(at).astimezone(zone).date()
        rule = types[kind].after_window.rule
        if opens <= day <= last_filing_day(closes, expires, rule):
            figures.filed_in_window += 1
        else:
            figures.filed_outside.append(case_id)
    return figures
