"""Working days on the Chinese calendar: public holidays and adjusted working weekends (调休).

Renewal windows and promised time limits (承诺时限) are counted in working days. The calendar is built
once from chinese_calendar's tables plus the operator's holiday files, then answers whole columns at a
time: a sorted array of working days and ``np.searchsorted`` replace a day-by-day loop, so a million
licences take milliseconds.

A year with neither (one the State Council has not published yet) is *provisional*: by default its
statutory holidays are counted by rule (ground/calendar/statutory.py) with Saturdays and Sundays off, and
every answer that touched it is flagged (``assumed``), because the notice's 调休 and 补假 cannot be
predicted. An exact count from such a year must never be told to a holder as exact.

Days are handled internally as int64 day numbers (days since 1970-01-01), which is what datetime64[D]
is underneath; NaT is the smallest int64.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import chinese_calendar
import numpy as np
import numpy.typing as npt

from ground.calendar.holiday_files import HolidayYear, load_holiday_dir
from ground.calendar.statutory import RULE_IN_FORCE_FROM, statutory_holidays

Days = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

# 1970-01-01 (day 0) was a Thursday: Monday=0 … Sunday=6 is (day + 3) % 7.
_EPOCH_WEEKDAY = 3
# Spare span around the requested dates so that typical calls reuse the cached table.
_SPAN_BEFORE_DAYS = 2 * 366
_SPAN_AFTER_DAYS = 366


class UnknownYearPolicy(StrEnum):
    """What to do with a year that has neither the package's schedule nor a holiday file."""

    RULE = "rule"  # count the statutory holidays by rule, weekends off; flag every affected row as provisional
    WEEKDAYS = "weekdays"  # assume Monday–Friday, holidays ignored, and flag every affected row
    STOP = "stop"  # refuse: a reminder on a holiday is worse than an operator adding a file


class CalendarYearUnknown(LookupError):
    """A computation needs a year for which there is no holiday schedule."""

    def __init__(self, years: frozenset[int], holiday_dir: Path | None = None, why: str = "") -> None:
        self.years = years
        self.holiday_dir = holiday_dir
        super().__init__(_unknown_year_message(years, holiday_dir, why))


def _unknown_year_message(years: frozenset[int], holiday_dir: Path | None, why: str) -> str:
    listed = ", ".join(str(y) for y in sorted(years))
    folder = f"currently {holiday_dir}" if holiday_dir is not None else "currently not set"
    return (
        f"no holiday schedule for {listed}: working days cannot be counted there{why}. "
        f"Add a holiday file per year (e.g. {min(years)}.yaml, see ground/calendar/examples/) with the "
        f"State Council's published schedule to the holiday folder set by "
        f"PROACTIVE_CALENDAR__HOLIDAY_DIR ({folder})."
    )


@dataclass(frozen=True)
class YearSchedule:
    """Days off and adjusted working weekends of one year, and where they come from."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str


# eq=False: comparing numpy arrays with == is element-wise, so a generated __eq__ would raise.
@dataclass(frozen=True, eq=False)
class WorkingDayResult:
    dates: npt.NDArray[np.datetime64]
    assumed: Mask  # the row touched a provisional year (no schedule): counted by rule or Monday–Friday
    unknown_years: frozenset[int]


@dataclass(frozen=True, eq=False)
class WorkingDayCount:
    counts: npt.NDArray[np.int64]  # 0 where `missing`, negative where end < start
    missing: Mask  # start or end was NaT
    assumed: Mask
    unknown_years: frozenset[int]


@dataclass(frozen=True, eq=False)
class _Table:
    """Every working day in [first, end), sorted: the one structure all queries search."""

    first: int
    end: int
    working: Days

    def covers(self, first: int, end: int) -> bool:
        return self.first <= first and end <= self.end


def package_schedules() -> dict[int, YearSchedule]:
    """chinese_calendar's years; like the package itself, every year from its first to its last."""
    source = f"chinese_calendar {chinese_calendar.__version__}"
    holiday_days: dict[date, str] = chinese_calendar.holidays
    work_days: dict[date, str] = chinese_calendar.workdays
    years = range(min(holiday_days).year, max(holiday_days).year + 1)
    return {
        y: YearSchedule(
            frozenset(d for d in holiday_days if d.year == y),
            frozenset(d for d in work_days if d.year == y),
            source,
        )
        for y in years
    }


def file_schedule(f: HolidayYear) -> YearSchedule:
    return YearSchedule(f.holidays, f.workdays, f.reference)


def working_days_in(first: int, end: int, holidays: Days, workdays: Days) -> Days:
    """Day numbers of the working days in [first, end): Monday–Friday less ``holidays``, plus ``workdays``."""
    days = np.arange(first, end, dtype=np.int64)
    working = (days + _EPOCH_WEEKDAY) % 7 < 5
    working[np.isin(days, holidays)] = False
    working[np.isin(days, workdays)] = True
    return days[working]


class WorkingDayCalendar:
    def __init__(
        self,
        schedules: Mapping[int, YearSchedule],
        unknown_year: UnknownYearPolicy,
        holiday_dir: Path | None = None,
    ) -> None:
        self.unknown_year = unknown_year
        self.holiday_dir = holiday_dir
        self.known_years: frozenset[int] = frozenset(schedules)
        self.sources: dict[int, str] = {y: s.source for y, s in sorted(schedules.items())}
        self._holiday_set = frozenset().union(*(s.holidays for s in schedules.values()))
        self._workday_set = frozenset().union(*(s.workdays for s in schedules.values()))
        self._holidays = _day_numbers(self._holiday_set)
        self._workdays = _day_numbers(self._workday_set)
        self._rule_days: dict[int, frozenset[date]] = {}  # statutory days of provisional years, as asked for
        self._table: _Table | None = None  # built on first use, widened when a query falls outside

    @classmethod
    def load(cls, holiday_dir: Path | None, unknown_year: UnknownYearPolicy) -> WorkingDayCalendar:
        """The package's years, overridden or extended year by year by the operator's files."""
        files = load_holiday_dir(holiday_dir) if holiday_dir is not None else {}
        schedules = package_schedules() | {y: file_schedule(f) for y, f in files.items()}
        return cls(schedules, unknown_year, holiday_dir)

    def is_working_day(self, d: date) -> bool:
        day = _as_date(d)  # datetime == date is always False in sets
        self._refuse_unknown(frozenset({day.year}) - self.known_years)
        holidays = self._holiday_set if day.year in self.known_years else self._provisional_holidays(day.year)
        return day in self._workday_set or (day.weekday() < 5 and day not in holidays)

    def is_provisional(self, start: date, end: date) -> bool:
        """Does an answer over the days from ``start`` to ``end`` (both included, either order) rest on a year
        that has no published schedule and no holiday file?

        Such a count is an estimate (statutory holidays by rule or plain weekdays, the notice's 调休 and 补假
        unknown): say "about" or give the date, never an exact number of working days, to a holder. Pure: it
        looks only at the years, so it answers the same under every policy (under ``stop`` the count itself
        would be refused). Both ends count, so a date found by counting that lands in such a year makes the
        answer provisional as well.
        """
        first, last = sorted((_as_date(start), _as_date(end)))
        return any(year not in self.known_years for year in range(first.year, last.year + 1))

    def provisional_years(self, start: date, end: date) -> frozenset[int]:
        """The years from ``start`` to ``end`` (both included, either order) with no published schedule."""
        first, last = sorted((_as_date(start), _as_date(end)))
        return frozenset(range(first.year, last.year + 1)) - self.known_years

    def working_days_before(self, dates: npt.ArrayLike, n: int) -> WorkingDayResult:
        """For each d, the working day D with exactly n working days in [D, d); n=0 returns d itself."""
        return self._shifted(dates, n, backwards=True)

    def add_working_days(self, dates: npt.ArrayLike, n: int) -> WorkingDayResult:
        """For each d, the n-th working day after d (d itself not counted); n=0 returns d itself."""
        return self._shifted(dates, n, backwards=False)

    def working_day_after(self, day: date, n: int) -> date:
        """The n-th working day after `day` (`day` itself not counted): `add_working_days` for one date."""
        later = self.add_working_days(np.array([day], dtype="datetime64[D]"), n).dates[0]
        return date.fromisoformat(str(later.astype("datetime64[D]")))

    def working_days_between(self, start: npt.ArrayLike, end: npt.ArrayLike) -> WorkingDayCount:
        """Working days in [start, end) per row; negated when end < start so that the count is additive."""
        start_days, start_missing = _to_day_numbers(start)
        end_days, end_missing = _to_day_numbers(end)
        start_days, end_days = np.broadcast_arrays(start_days, end_days)
        missing = np.broadcast_to(start_missing | end_missing, start_days.shape)
        valid = ~missing
        counts = np.zeros(start_days.shape, dtype=np.int64)
        if valid.any():
            lo, hi = start_days[valid], end_days[valid]
            table = self._table_covering(int(min(lo.min(), hi.min())), int(max(lo.max(), hi.max())) + 1)
            counts[valid] = np.searchsorted(table.working, hi) - np.searchsorted(table.working, lo)
        # Only the counted days [min, max) matter: an end on 1 January does not need that year.
        first, last = np.minimum(start_days, end_days), np.maximum(start_days, end_days) - 1
        assumed, unknown = touched_unknown_years(first, last, valid & (last >= first), self.known_years)
        self._refuse_unknown(unknown)
        return WorkingDayCount(counts, missing.copy(), assumed, unknown)

    # --- internals ----------------------------------------------------------------------------

    def _shifted(self, dates: npt.ArrayLike, n: int, *, backwards: bool) -> WorkingDayResult:
        if n < 0:
            raise ValueError(f"n must be 0 or more working days, got {n}")
        days, missing = _to_day_numbers(dates)
        valid = ~missing
        result = days.copy()
        if n > 0 and valid.any():
            result[valid] = self._nth_working_day(days[valid], n, backwards=backwards)
        assumed, unknown = touched_unknown_years(days, result, valid, self.known_years)
        self._refuse_unknown(unknown)
        out = result.astype("datetime64[D]")
        out[missing] = np.datetime64("NaT")
        return WorkingDayResult(out, assumed, unknown)

    def _nth_working_day(self, days: Days, n: int, *, backwards: bool) -> Days:
        # 2n calendar days hold at least n working days unless files declare absurd holidays; widen
        # until every row's answer lies inside the table rather than trusting that estimate.
        reach = 2 * n + 14
        while True:
            table = self._table_covering(int(days.min()) - reach, int(days.max()) + reach + 1)
            if backwards:  # the n-th working day strictly before d
                pos = np.searchsorted(table.working, days, side="left") - n
            else:  # the n-th working day strictly after d
                pos = np.searchsorted(table.working, days, side="right") + (n - 1)
            if pos.min() >= 0 and pos.max() < table.working.size:
                found: Days = table.working[pos]
                return found
            reach *= 2

    def _table_covering(self, first: int, end: int) -> _Table:
        table = self._table
        if table is not None:
            if table.covers(first, end):
                return table
            first, end = min(first, table.first), max(end, table.end)
        first, end = first - _SPAN_BEFORE_DAYS, end + _SPAN_AFTER_DAYS
        holidays = self._holidays
        if self.unknown_year is UnknownYearPolicy.RULE:
            years = range(int(_year_of(np.array([first]))[0]), int(_year_of(np.array([end]))[0]) + 1)
            ruled = frozenset().union(*(self._provisional_holidays(y) for y in years if y not in self.known_years))
            holidays = np.concatenate([holidays, _day_numbers(ruled)])
        working = working_days_in(first, end, holidays, self._workdays)
        working.setflags(write=False)  # shared between calls: nobody may edit it in place
        # Replacing the whole table in one assignment keeps concurrent readers consistent.
        self._table = _Table(first, end, working)
        return self._table

    def _provisional_holidays(self, year: int) -> frozenset[date]:
        """The days off of a year without schedule: the statutory days under ``rule``, none otherwise."""
        if self.unknown_year is not UnknownYearPolicy.RULE or year < RULE_IN_FORCE_FROM:
            return frozenset()  # weekdays: Monday–Friday; a year before the rule is refused before it is used
        if year not in self._rule_days:
            self._rule_days[year] = frozenset(statutory_holidays(year))
        return self._rule_days[year]

    def _refuse_unknown(self, years: frozenset[int]) -> None:
        if not years or self.unknown_year is UnknownYearPolicy.WEEKDAYS:
            return
        if self.unknown_year is UnknownYearPolicy.STOP:
            raise CalendarYearUnknown(years, self.holiday_dir)
        # The rule is the measures as amended in force from 2025; earlier years had other holidays.
        before_rule = frozenset(y for y in years if y < RULE_IN_FORCE_FROM)
        if before_rule:
            why = f" (the statutory rule only counts years from {RULE_IN_FORCE_FROM} on)"
            raise CalendarYearUnknown(before_rule, self.holiday_dir, why)


def touched_unknown_years(a: Days, b: Days, valid: Mask, known_years: frozenset[int]) -> tuple[Mask, frozenset[int]]:
    """Per valid row: do the years from min(a, b) to max(a, b), inclusive, include an unknown year?

    Also returns which unknown years were touched at all, for the error message or the warning.
    """
    assumed = np.zeros(a.shape, dtype=np.bool_)
    if not valid.any():
        return assumed, frozenset()
    lo_year = _year_of(np.minimum(a[valid], b[valid]))
    hi_year = _year_of(np.maximum(a[valid], b[valid]))
    first = int(lo_year.min())
    years = np.arange(first, int(hi_year.max()) + 1)
    unknown = np.array([int(y) not in known_years for y in years], dtype=np.bool_)
    if not unknown.any():
        return assumed, frozenset()
    # Prefix sums answer "any unknown year in [lo, hi]?" for every row at once.
    before = np.concatenate([[0], np.cumsum(unknown)])
    assumed[valid] = before[hi_year - first + 1] > before[lo_year - first]
    # Coverage count per year (difference array) tells which unknown years some row touched.
    starts = np.bincount(lo_year - first, minlength=years.size + 1)
    stops = np.bincount(hi_year - first + 1, minlength=years.size + 1)
    covered = np.cumsum(starts - stops)[: years.size] > 0
    return assumed, frozenset(int(y) for y in years[covered & unknown])


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def _day_numbers(days: frozenset[date]) -> Days:
    return np.array(sorted(days), dtype="datetime64[D]").astype(np.int64)


def _to_day_numbers(dates: npt.ArrayLike) -> tuple[Days, Mask]:
    """Any date-like array (datetime64 of any unit, date objects, ISO strings) as day numbers."""
    as_days = np.asarray(dates, dtype="datetime64[D]")
    return as_days.astype(np.int64), np.isnat(as_days)


def _year_of(days: Days) -> npt.NDArray[np.int64]:
    years: npt.NDArray[np.int64] = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    return years + 1970
