"""Promised dates in working days on the Chinese calendar (Mon-Fri for years the calendar does not know)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the State Council has not published yet
        return day.weekday() < 5


def add_workdays(start: date, count: int) -> date:
    """The date `count` working days after `start` (the day of submission does not count)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        count -= is_workday(day)
    return day
