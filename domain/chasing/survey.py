"""Every case waiting on its approver as the chasing sees it today: its matter, how long it has waited, and the
chase due, if any. The chase round and the overdue listing both start here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from domain.chasing.departments import Departments, Matter, UnknownMatter, matter_of
from domain.chasing.reads import waiting_cases
from domain.chasing.timing import Standing, Waiting, standings
from domain.licence_types import LicenceType
from ground.calendar import WorkingDayCalendar
from ground.settings import ChaseSettings
from ground.store.reads import stored_moment


@dataclass(frozen=True)
class Pending:
    case: dict[str, Any]  # the row of `waiting_cases`
    matter: Matter
    standing: Standing


@dataclass(frozen=True)
class Survey:
    pending: list[Pending]
    unknown: list[str]  # waiting cases whose matter has no department or promise: not chased, and why


def survey(
    connection: Connection,
    directory: Departments,
    types: Mapping[str, LicenceType],
    calendar: WorkingDayCalendar,
    rules: ChaseSettings,
    today: date,
    zone: ZoneInfo,
) -> Survey:
    known, unknown = [], []
    for case in waiting_cases(connection):
        try:
            known.append((case, matter_of(case, directory, types)))
        except UnknownMatter as exc:
            unknown.append(f"case {case['id']} waits on its approver but is not chased: {exc}")
    waiting = [_waiting(case, matter, zone) for case, matter in known]
    found = standings(waiting, today, calendar, rules)
    return Survey([Pending(case, matter, s) for (case, matter), s in zip(known, found, strict=True)], unknown)


def _waiting(case: dict[str, Any], matter: Matter, zone: ZoneInfo) -> Waiting:
    last = case["last_chased_at"]
    return Waiting(
        case["id"],
        case["filing_id"],
        local_day(case["filed_at"], zone),
        matter.promised_working_days,
        case["chases"],
        None if last is None else local_day(last, zone),
    )


def local_day(moment: Any, zone: ZoneInfo) -> date:
    return stored_moment(moment).astimezone(zone).date()
