"""The working-day calendar on real 2026 dates, unknown years, operator files and large columns.

Facts about 2026 come from the State Council's schedule as carried by chinese_calendar 1.11.0:
Spring Festival 2026-02-15..23 with working Saturdays 02-14 and 02-28; Mid-Autumn 09-25..27 (a separate
holiday that year); National Day 10-01..07 with working weekends Sunday 09-20 and Saturday 10-10.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from textwrap import dedent

import chinese_calendar
import numpy as np
import numpy.typing as npt
import pytest

from agent.calendar import CalendarYearUnknown, UnknownYearPolicy, WorkingDayCalendar

# Test fixture for 2027 in the real format; the dates are invented, not the State Council's schedule.
FILE_2027 = dedent(
    """\
    year: 2027
    reference: test fixture for 2027, not a real notice
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
      - {name: 春节, from: 2027-02-06, to: 2027-02-14}
    workdays:
      - 2027-02-20
    """
)


def days(*iso: str) -> npt.NDArray[np.datetime64]:
    return np.array(iso, dtype="datetime64[D]")


def as_dates(values: npt.NDArray[np.datetime64]) -> list[str]:
    return [str(v) for v in values]


@pytest.fixture(scope="module")
def weekdays() -> WorkingDayCalendar:
    return WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)


@pytest.fixture(scope="module")
def stop() -> WorkingDayCalendar:
    return WorkingDayCalendar.load(None, UnknownYearPolicy.STOP)


@pytest.fixture
def with_2027(tmp_path: Path) -> WorkingDayCalendar:
    (tmp_path / "2027.yaml").write_text(FILE_2027, encoding="utf-8")
    return WorkingDayCalendar.load(tmp_path, UnknownYearPolicy.STOP)


# --- what the package knows ---------------------------------------------------------------------


def test_it_knows_the_years_of_the_package_and_names_their_source(stop: WorkingDayCalendar) -> None:
    assert stop.known_years == frozenset(range(2004, 2027))
    assert stop.sources[2026] == f"chinese_calendar {chinese_calendar.__version__}"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 20), True),  # Sunday, worked for National Day
        (date(2026, 9, 25), False),  # Mid-Autumn Festival, a Friday
        (date(2026, 9, 27), False),  # Sunday inside the Mid-Autumn break
        (date(2026, 9, 28), True),  # ordinary Monday between the two holidays
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),  # a Wednesday, last day of the golden week
        (date(2026, 10, 10), True),  # Saturday, worked for National Day
        (date(2026, 10, 11), False),  # the ordinary Sunday after it
        (date(2026, 2, 14), True),  # Saturday, worked before the Spring Festival
        (date(2026, 2, 23), False),  # a Monday, last day of the Spring Festival
        (date(2026, 2, 28), True),  # Saturday, worked after the Spring Festival
    ],
)
def test_it_follows_the_2026_holidays_and_adjusted_weekends(stop: WorkingDayCalendar, day: date, working: bool) -> None:
    assert stop.is_working_day(day) is working
    assert chinese_calendar.is_workday(day) is working  # the package agrees: these are its facts


# --- counting back and forward on real 2026 dates -----------------------------------------------


def test_it_skips_the_national_day_golden_week(stop: WorkingDayCalendar) -> None:
    assert as_dates(stop.working_days_before(days("2026-10-08"), 1).dates) == ["2026-09-30"]
    assert as_dates(stop.add_working_days(days("2026-09-30"), 1).dates) == ["2026-10-08"]


def test_counting_back_over_national_day_uses_the_adjusted_sunday(stop: WorkingDayCalendar) -> None:
    assert as_dates(stop.working_days_before(days("2026-09-21"), 1).dates) == ["2026-09-20"]
    # 10-09, 10-08, then 09-30, 09-29: the golden week and the weekend before it count for nothing.
    assert as_dates(stop.working_days_before(days("2026-10-10"), 4).dates) == ["2026-09-29"]


def test_it_skips_the_mid_autumn_break_separately_from_national_day(stop: WorkingDayCalendar) -> None:
    assert as_dates(stop.working_days_before(days("2026-09-28"), 1).dates) == ["2026-09-24"]


def test_it_skips_the_spring_festival_to_the_working_saturday_before_it(stop: WorkingDayCalendar) -> None:
    assert as_dates(stop.working_days_before(days("2026-02-24"), 1).dates) == ["2026-02-14"]
    assert as_dates(stop.add_working_days(days("2026-02-13", "2026-02-14"), 1).dates) == [
        "2026-02-14",
        "2026-02-24",
    ]


def test_october_2026_has_18_working_days_and_the_whole_year_248(stop: WorkingDayCalendar) -> None:
    counted = stop.working_days_between(days("2026-10-01", "2026-01-01"), days("2026-11-01", "2027-01-01"))

    assert counted.counts.tolist() == [18, 248]
    assert len(chinese_calendar.get_workdays(date(2026, 1, 1), date(2026, 12, 31))) == 248
    assert not counted.assumed.any()  # [start, end) ends on 2026-12-31: 2027 is not needed


def test_zero_working_days_before_a_date_is_the_date_itself_even_on_a_holiday(
    stop: WorkingDayCalendar,
) -> None:
    result = stop.working_days_before(days("2026-10-01", "2026-10-08"), 0)

    assert as_dates(result.dates) == ["2026-10-01", "2026-10-08"]
    assert as_dates(stop.add_working_days(days("2026-10-01"), 0).dates) == ["2026-10-01"]


def test_negative_counts_are_refused(stop: WorkingDayCalendar) -> None:
    with pytest.raises(ValueError, match="n must be 0 or more"):
        stop.working_days_before(days("2026-10-08"), -1)


# --- 2027, a year the package does not know -----------------------------------------------------


def test_ninety_weekdays_before_a_2027_expiry_are_assumed_and_flagged(weekdays: WorkingDayCalendar) -> None:
    # 63 weekdays of 2027 before 03-31 (1 January counted: no schedule says otherwise), then 23 in
    # December 2026 and 4 in November. The 2026 row stays in 2026 and is not flagged.
    result = weekdays.working_days_before(days("2027-03-31", "2026-12-15"), 90)

    assert as_dates(result.dates) == ["2026-11-25", "2026-08-05"]
    assert result.assumed.tolist() == [True, False]
    assert result.unknown_years == {2027}


def test_fifteen_weekdays_before_a_2027_expiry_count_new_years_day(weekdays: WorkingDayCalendar) -> None:
    result = weekdays.working_days_before(days("2027-01-15"), 15)

    assert as_dates(result.dates) == ["2026-12-25"]
    assert result.assumed.tolist() == [True]


def test_a_result_in_2027_is_flagged_even_when_the_input_is_in_2026(weekdays: WorkingDayCalendar) -> None:
    result = weekdays.add_working_days(days("2026-12-30", "2026-12-01"), 3)

    assert as_dates(result.dates) == ["2027-01-04", "2026-12-04"]
    assert result.assumed.tolist() == [True, False]


@pytest.mark.parametrize("n", [15, 90])
def test_stop_refuses_a_2027_expiry_and_says_how_to_fix_it(stop: WorkingDayCalendar, n: int) -> None:
    with pytest.raises(CalendarYearUnknown) as caught:
        stop.working_days_before(days("2026-12-01", "2027-03-31"), n)

    assert caught.value.years == {2027}
    message = str(caught.value)
    assert "2027" in message
    assert "holiday file" in message
    assert "PROACTIVE_CALENDAR__HOLIDAY_DIR" in message


def test_stop_also_refuses_years_before_the_package_starts(stop: WorkingDayCalendar) -> None:
    with pytest.raises(CalendarYearUnknown, match="2003"):
        stop.working_days_before(days("2004-01-05"), 15)


def test_asking_about_one_day_of_an_unknown_year_follows_the_policy(
    stop: WorkingDayCalendar, weekdays: WorkingDayCalendar
) -> None:
    with pytest.raises(CalendarYearUnknown):
        stop.is_working_day(date(2027, 1, 1))
    assert weekdays.is_working_day(date(2027, 1, 1)) is True  # a Friday, assumed working
    assert weekdays.is_working_day(date(2027, 1, 2)) is False


def test_a_holiday_file_makes_2027_known_and_its_holidays_count(with_2027: WorkingDayCalendar) -> None:
    result = with_2027.working_days_before(days("2027-01-15"), 15)

    assert as_dates(result.dates) == ["2026-12-24"]  # one day earlier than assuming 1 January works
    assert not result.assumed.any()
    assert result.unknown_years == frozenset()
    assert 2027 in with_2027.known_years
    assert with_2027.sources[2027] == "test fixture for 2027, not a real notice"


def test_a_holiday_file_honours_its_spring_festival_and_adjusted_saturday(
    with_2027: WorkingDayCalendar,
) -> None:
    assert as_dates(with_2027.working_days_before(days("2027-02-15"), 1).dates) == ["2027-02-05"]
    assert with_2027.is_working_day(date(2027, 2, 20)) is True


def test_a_holiday_file_replaces_the_packages_schedule_for_its_year(tmp_path: Path) -> None:
    text = "year: 2026\nreference: local override\nholidays:\n  - {name: 加班补休, on: 2026-12-31}\n"
    (tmp_path / "2026.yaml").write_text(text, encoding="utf-8")

    calendar = WorkingDayCalendar.load(tmp_path, UnknownYearPolicy.STOP)

    assert calendar.sources[2026] == "local override"
    assert calendar.is_working_day(date(2026, 12, 31)) is False
    assert calendar.is_working_day(date(2026, 10, 1)) is True  # only the file's days count now


# --- NaT, input forms ---------------------------------------------------------------------------


def test_nat_rows_give_nat_and_are_never_flagged(weekdays: WorkingDayCalendar) -> None:
    result = weekdays.working_days_before(days("NaT", "2027-03-31", "NaT"), 90)

    assert np.isnat(result.dates).tolist() == [True, False, True]
    assert result.assumed.tolist() == [False, True, False]


def test_only_nat_or_nothing_gives_nat_or_nothing(stop: WorkingDayCalendar) -> None:
    assert np.isnat(stop.add_working_days(days("NaT", "NaT"), 3).dates).all()
    assert stop.working_days_before(days(), 3).dates.size == 0


def test_a_count_with_a_missing_end_is_marked_missing(stop: WorkingDayCalendar) -> None:
    counted = stop.working_days_between(days("2026-10-01", "2026-10-01"), days("NaT", "2026-10-09"))

    assert counted.missing.tolist() == [True, False]
    assert counted.counts.tolist() == [0, 1]


def test_it_accepts_nanosecond_datetimes_and_keeps_the_shape(stop: WorkingDayCalendar) -> None:
    grid = np.array([["2026-10-08T15:30", "2026-02-24T09:00"]], dtype="datetime64[ns]")

    result = stop.working_days_before(grid, 1)

    assert result.dates.shape == (1, 2)
    assert result.dates.dtype == np.dtype("datetime64[D]")
    assert as_dates(result.dates[0]) == ["2026-09-30", "2026-02-14"]


# --- the vectorised answers against a day-by-day loop -------------------------------------------


@cache
def package_working_days() -> frozenset[date]:
    return frozenset(chinese_calendar.get_workdays(date(2004, 1, 1), date(2026, 12, 31)))


def reference_is_working(day: date) -> bool:
    """The package's own answer where it knows the year, Monday–Friday elsewhere (WEEKDAYS)."""
    if 2004 <= day.year <= 2026:
        return day in package_working_days()
    return day.weekday() < 5


def reference_before(day: date, n: int) -> date:
    found, counted = day, 0
    while counted < n:
        found -= timedelta(days=1)
        counted += reference_is_working(found)
    return found


def reference_after(day: date, n: int) -> date:
    found, counted = day, 0
    while counted < n:
        found += timedelta(days=1)
        counted += reference_is_working(found)
    return found


def random_days(count: int, seed: int) -> npt.NDArray[np.datetime64]:
    # From mid-2004 to 2027 so that some rows cross into 2003 or 2027, years the package does not know.
    offsets = np.random.default_rng(seed).integers(0, 365 * 23, count)
    return np.datetime64("2004-06-01") + offsets.astype("timedelta64[D]")


def assumed_by_reference(a: date, b: date) -> bool:
    return any(y < 2004 or y > 2026 for y in range(min(a, b).year, max(a, b).year + 1))


@pytest.mark.parametrize("n", [1, 15, 90])
@pytest.mark.parametrize(
    ("method", "reference"),
    [("working_days_before", reference_before), ("add_working_days", reference_after)],
    ids=["before", "after"],
)
def test_the_vectorised_answer_equals_a_day_by_day_loop(
    weekdays: WorkingDayCalendar, method: str, reference: Callable[[date, int], date], n: int
) -> None:
    inputs = random_days(300, seed=n)

    result = getattr(weekdays, method)(inputs, n)

    expected = [reference(d, n) for d in inputs.tolist()]
    assert result.dates.tolist() == expected
    assert result.assumed.tolist() == [
        assumed_by_reference(d, e) for d, e in zip(inputs.tolist(), expected, strict=True)
    ]


def test_counts_between_equal_a_day_by_day_loop(weekdays: WorkingDayCalendar) -> None:
    start, end = random_days(300, seed=7), random_days(300, seed=8)

    counted = weekdays.working_days_between(start, end)

    def loop(a: date, b: date) -> int:
        sign = 1 if a <= b else -1
        a, b = min(a, b), max(a, b)
        return sign * sum(reference_is_working(a + timedelta(days=i)) for i in range((b - a).days))

    assert counted.counts.tolist() == [loop(a, b) for a, b in zip(start.tolist(), end.tolist(), strict=True)]


# --- the three operations agree ------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 15, 90])
def test_between_a_result_and_its_input_lie_exactly_n_working_days(weekdays: WorkingDayCalendar, n: int) -> None:
    inputs = random_days(300, seed=100 + n)

    before = weekdays.working_days_before(inputs, n).dates
    after = weekdays.add_working_days(inputs, n).dates

    assert (weekdays.working_days_between(before, inputs).counts == n).all()
    # add_working_days does not count d itself: [d + 1, result + 1) holds the n days.
    one = np.timedelta64(1, "D")
    assert (weekdays.working_days_between(inputs + one, after + one).counts == n).all()


@pytest.mark.parametrize("n", [1, 15, 90])
def test_adding_undoes_counting_back_from_a_working_day(weekdays: WorkingDayCalendar, n: int) -> None:
    inputs = random_days(300, seed=200 + n)
    working = inputs[[weekdays.is_working_day(d) for d in inputs.tolist()]]

    back = weekdays.working_days_before(working, n).dates

    assert (weekdays.add_working_days(back, n).dates == working).all()
    assert (weekdays.working_days_before(weekdays.add_working_days(working, n).dates, n).dates == working).all()


# --- a whole county at once ---------------------------------------------------------------------


def test_a_million_dates_take_well_under_a_second() -> None:
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)  # cold: includes the table
    expiries = np.datetime64("2026-01-01") + np.random.default_rng(1).integers(0, 700, 1_000_000).astype(
        "timedelta64[D]"
    )

    started = time.perf_counter()
    result = calendar.working_days_before(expiries, 90)
    elapsed = time.perf_counter() - started

    assert result.dates.shape == (1_000_000,)
    assert elapsed < 1.0
