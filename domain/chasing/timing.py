"""When a waiting case is chased, and whom: pure decisions on working days.

A case filed on day F with a promise of P working days is within its promise while the working days in [F, today)
are P or fewer: filed on a Monday with a promise of 1, a decision on Tuesday is in time (the figures count the same
way, domain/kpi/figures.py), and on Wednesday morning the case is overdue and chased. It is chased again every
`repeat_working_days`, counted from the last chase; after `contact_chases` chases of the department's contact, its
supervisor is chased instead. Chases go on working days only; holidays and adjusted working weekends (调休) are the
calendar's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np

from ground.calendar import WorkingDayCalendar
from ground.settings import ChaseSettings


class Level(StrEnum):
    CONTACT = "contact"  # 办件联络人
    SUPERVISOR = "supervisor"  # 分管负责人: the contact was chased `contact_chases` times and the case still waits


LEVEL_WORDS = {Level.CONTACT: "联络人", Level.SUPERVISOR: "分管负责人"}  # as staff read them


@dataclass(frozen=True)
class Waiting:
    """A filing waiting on its approver, with its promise and the chases so far."""

    case_id: int
    filing_id: int  # the ledger entry of the filing: a case filed again after a return is chased afresh
    filed_on: date
    promised: int
    chases: int
    last_chased_on: date | None


@dataclass(frozen=True)
class Standing:
    waiting: Waiting
    waited: int  # working days in [filed_on, today)
    estimated: bool  # the count spans a year whose holidays are not published: an estimate
    due: Level | None  # the chase due today, and whom it goes to

    @property
    def overdue(self) -> bool:
        return self.waited > self.waiting.promised


def standings(
    waiting: Sequence[Waiting], today: date, calendar: WorkingDayCalendar, rules: ChaseSettings
) -> list[Standing]:
    """Each waiting filing's standing today; the working days are counted for all of them at once."""
    if not waiting:
        return []
    days = np.full(len(waiting), np.datetime64(today, "D"))
    waited = calendar.working_days_between(_days([w.filed_on for w in waiting]), days)
    since_chase = calendar.working_days_between(_days([w.last_chased_on for w in waiting]), days)
    working = calendar.is_working_day(today)
    return [
        Standing(w, int(count), bool(estimated), _due(w, int(count), int(since), rules) if working else None)
        for w, count, estimated, since in zip(waiting, waited.counts, waited.assumed, since_chase.counts, strict=True)
    ]


def _due(waiting: Waiting, waited: int, since_chase: int, rules: ChaseSettings) -> Level | None:
    if waited <= waiting.promised:
        return None
    if waiting.chases and since_chase < rules.repeat_working_days:
        return None  # chased already, and the interval has not passed (a re-run on the same day sends nothing)
    return Level.CONTACT if waiting.chases < rules.contact_chases else Level.SUPERVISOR


def _days(days: list[date | None]) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]")  # None becomes NaT: counted as 0, and only read after a chase
