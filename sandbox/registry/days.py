"""Dates as int64 days since 1970-01-01, with the little calendar arithmetic the generator needs."""

from __future__ import annotations

from datetime import date

import numpy as np
from numpy.typing import NDArray

Days = NDArray[np.int64]

_EPOCH = date(1970, 1, 1)
DAYS_PER_YEAR = 365.25


def day_number(d: date) -> int:
    return (d - _EPOCH).days


def add_years(days: Days, years: int | NDArray[np.int64]) -> Days:
    """Same month and day `years` later (or earlier); 29 February in a non-leap year rolls to 1 March."""
    dt = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    year = dt.astype("datetime64[Y]")
    month_start = dt.astype("datetime64[M]")
    month_of_year = (month_start - year.astype("datetime64[M]")).astype(np.int64)
    day_of_month = (dt - month_start.astype("datetime64[D]")).astype(np.int64)
    shifted_year = year + np.asarray(years, dtype=np.int64)
    shifted_month = shifted_year.astype("datetime64[M]") + month_of_year
    shifted: Days = (shifted_month.astype("datetime64[D]") + day_of_month).astype(np.int64)
    return shifted


def weekday(days: Days) -> NDArray[np.int64]:
    """0 = Monday … 6 = Sunday (1970-01-01 was a Thursday)."""
    return (np.asarray(days, dtype=np.int64) + 3) % 7


def next_weekday(days: Days) -> Days:
    """Saturdays and Sundays moved to the following Monday (offices issue licences on working days)."""
    wd = weekday(days)
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


def previous_weekday(days: Days) -> Days:
    """Saturdays and Sundays moved to the preceding Friday."""
    wd = weekday(days)
    return days - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))
