"""When a waiting case is chased, and whom, on the real 2026 calendar around National Day: 10-01..07 off, Saturday
10-10 a working day (调休), Sunday 10-11 off. The case was filed on Wednesday 09-30 with a promise of 1 working day."""

from __future__ import annotations

from datetime import date

import pytest

from domain.chasing.timing import Level, Waiting, standings
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.settings import ChaseSettings

CALENDAR = WorkingDayCalendar.load(None, UnknownYearPolicy.RULE)
RULES = ChaseSettings(repeat_working_days=1, contact_chases=2)
FILED = date(2026, 9, 30)


Seen = tuple[int, bool, Level | None]  # working days waited, overdue, the chase due


def standing_on(today: str, chases: int = 0, last: str | None = None, rules: ChaseSettings = RULES) -> Seen:
    waiting = Waiting(1, 10, FILED, 1, chases, None if last is None else date.fromisoformat(last))
    (found,) = standings([waiting], date.fromisoformat(today), CALENDAR, rules)
    return found.waited, found.overdue, found.due


@pytest.mark.parametrize(
    ("today", "chases", "last", "expected"),
    [
        # the holiday: one working day waited (09-30 itself), within the promise — Monday–Friday would say 3
        ("2026-10-02", 0, None, (1, False, None)),
        # the first working day after it: a decision today is still within the promise
        ("2026-10-08", 0, None, (1, False, None)),
        # the day after: past the promise, the contact is chased
        ("2026-10-09", 0, None, (2, True, Level.CONTACT)),
        # run again the same day: chased already, nothing more
        ("2026-10-09", 1, "2026-10-09", (2, True, None)),
        # Saturday 10-10 is a working day (调休): one working day since the chase, the contact again
        ("2026-10-10", 1, "2026-10-09", (3, True, Level.CONTACT)),
        # Sunday: no chase on a day off, whatever the interval says
        ("2026-10-11", 2, "2026-10-10", (4, True, None)),
        # Monday: the contact has been chased twice, the supervisor now
        ("2026-10-12", 2, "2026-10-10", (4, True, Level.SUPERVISOR)),
        # and again at the interval, still the supervisor
        ("2026-10-13", 3, "2026-10-12", (5, True, Level.SUPERVISOR)),
    ],
)
def test_a_case_filed_before_national_day_is_chased_on_working_days_only(
    today: str, chases: int, last: str | None, expected: Seen
) -> None:
    assert standing_on(today, chases, last) == expected


def test_the_repeat_interval_counts_working_days_from_the_last_chase() -> None:
    every_two = ChaseSettings(repeat_working_days=2, contact_chases=2)
    assert standing_on("2026-10-10", 1, "2026-10-09", every_two)[2] is None  # one working day since
    assert standing_on("2026-10-11", 1, "2026-10-09", every_two)[2] is None  # a day off
    assert standing_on("2026-10-12", 1, "2026-10-09", every_two)[2] is Level.CONTACT  # Friday and Saturday since


def test_with_one_contact_chase_the_second_goes_to_the_supervisor() -> None:
    once = ChaseSettings(repeat_working_days=1, contact_chases=1)
    assert standing_on("2026-10-10", 1, "2026-10-09", once)[2] is Level.SUPERVISOR


def test_a_count_into_an_unpublished_year_is_marked_as_an_estimate() -> None:
    waiting = Waiting(1, 10, date(2026, 12, 30), 1, 0, None)
    (found,) = standings([waiting], date(2027, 1, 5), CALENDAR, RULES)
    assert found.estimated and found.overdue
