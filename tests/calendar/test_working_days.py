"""The working-day calendar on real 2026 dates, unknown years, operator files and large columns.

Facts about 2026 come from the State Council's schedule as carried by chinese_calendar 1.11.0:
Spring Festival 2026-02-15..23 with working Saturdays 02-14 and 02-28; Mid-Autumn 09-25..27 (a separate
holiday that year); National Day 10-01..07 with working weekends Sunday 09-20 and Saturday 10-10.
2027 is unpublished: by default (`rule`) its statutory holidays are counted by rule (test_statutory.py) and
every answer touching it is provisional; `weekdays` and `stop` are the operator's explicit alternatives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from textwrap import dedent

import chinese_calendar
import numpy as np
import numpy.typing as npt
import pytest

from ground.calendar import CalendarYearUnknown, UnknownYearPolicy, WorkingDayCalendar, statutory_holidays

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
def rule() -> WorkingDayCalendar:
    return WorkingDayCalendar.load(None, UnknownYearPolicy.RULE)


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


def test_one_date_shifted_is_a_date(stop: WorkingDayCalendar) -> None:
    assert stop.working_day_after(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert stop.working_day_after(date(2026, 9, 30), 0) == date(2026, 9, 30)


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


# --- 2027, a year the package does not know: statutory holidays by rule (the default) -----------


def test_ninety_working_days_before_a_2027_expiry_skip_the_statutory_holidays_and_are_flagged(
    rule: WorkingDayCalendar,
) -> None:
    # 60 working days of 2027 before 03-31: 1 January and 除夕..初三 (Friday 02-05, Monday 02-08) are off by
    # rule. Then 23 in December 2026 and 7 in November. The 2026 row stays in 2026 and is not flagged.
    result = rule.working_days_before(days("2027-03-31", "2026-12-15"), 90)

    assert as_dates(result.dates) == ["2026-11-20", "2026-08-05"]
    assert result.assumed.tolist() == [True, False]
    assert result.unknown_years == {2027}


def test_fifteen_working_days_before_a_2027_expiry_skip_new_years_day(rule: WorkingDayCalendar) -> None:
    result = rule.working_days_before(days("2027-01-15"), 15)

    assert as_dates(result.dates) == ["2026-12-24"]  # what a file with 元旦 01-01..03 gives too
    assert result.assumed.tolist() == [True]


def test_a_result_in_2027_is_flagged_even_when_the_input_is_in_2026(rule: WorkingDayCalendar) -> None:
    result = rule.add_working_days(days("2026-12-30", "2026-12-01"), 3)

    assert as_dates(result.dates) == ["2027-01-05", "2026-12-04"]  # 12-31, then 01-04 and 01-05
    assert result.assumed.tolist() == [True, False]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 1, 1), False),  # 元旦, a Friday
        (date(2027, 1, 4), True),  # the Monday after: no 补假 is predicted
        (date(2027, 2, 5), False),  # 除夕, a Friday
        (date(2027, 2, 8), False),  # 正月初三, a Monday
        (date(2027, 2, 9), True),  # 初四: the notice will likely give more, but the law does not
        (date(2027, 4, 5), False),  # 清明, a Monday (the solar term, computed)
        (date(2027, 5, 3), True),  # 劳动节 is 05-01 and 05-02, a weekend this year
        (date(2027, 6, 9), False),  # 端午, 五月初五
        (date(2027, 9, 15), False),  # 中秋, 八月十五
        (date(2027, 10, 4), True),  # 国庆 is 10-01..03 by law; the golden week is the notice's arrangement
        (date(2027, 10, 9), False),  # an ordinary Saturday: no adjusted working weekend can be predicted
    ],
)
def test_a_2027_day_by_rule(rule: WorkingDayCalendar, day: date, working: bool) -> None:
    assert rule.is_working_day(day) is working


def test_the_rule_is_only_used_where_no_schedule_is_published(rule: WorkingDayCalendar) -> None:
    # 2026's Saturday 10-10 was worked and 10-07 was off, although neither follows from the law alone.
    assert rule.is_working_day(date(2026, 10, 10)) is True
    assert rule.is_working_day(date(2026, 10, 7)) is False
    assert not rule.working_days_before(days("2026-10-20"), 15).assumed.any()


def test_the_rule_refuses_unknown_years_before_it_was_in_force(rule: WorkingDayCalendar) -> None:
    with pytest.raises(CalendarYearUnknown, match=r"2003.*statutory rule only counts years from 2025"):
        rule.working_days_before(days("2004-01-05"), 15)
    with pytest.raises(CalendarYearUnknown):
        rule.is_working_day(date(2003, 6, 2))


@pytest.mark.parametrize(
    ("start", "end", "provisional"),
    [
        (date(2026, 12, 6), date(2026, 12, 31), False),  # all of it published
        (date(2026, 12, 6), date(2027, 1, 1), True),  # ends on a day of 2027
        (date(2027, 3, 31), date(2026, 12, 6), True),  # either order
        (date(2027, 1, 4), date(2027, 1, 4), True),  # one day of 2027
        (date(2025, 1, 1), date(2026, 6, 30), False),  # two published years
        (date(2026, 1, 1), date(2029, 1, 1), True),  # several unpublished years
        (date(2003, 12, 31), date(2004, 1, 2), True),  # before the package's first year
    ],
)
def test_is_provisional_says_whether_a_span_touches_an_unpublished_year(
    rule: WorkingDayCalendar, start: date, end: date, provisional: bool
) -> None:
    assert rule.is_provisional(start, end) is provisional
    assert bool(rule.provisional_years(start, end)) is provisional


def test_is_provisional_agrees_with_the_flag_on_a_count(rule: WorkingDayCalendar) -> None:
    expiries = [date(2026, 12, 31), date(2027, 1, 15), date(2027, 3, 31)]
    today = date(2026, 12, 6)

    counted = rule.working_days_between(days(*[str(today)] * 3), days(*map(str, expiries)))

    assert counted.assumed.tolist() == [rule.is_provisional(today, e) for e in expiries]
    assert rule.provisional_years(today, date(2028, 2, 1)) == {2027, 2028}


def test_a_holiday_file_ends_the_provisional_status_of_its_year(with_2027: WorkingDayCalendar) -> None:
    assert not with_2027.is_provisional(date(2026, 12, 6), date(2027, 12, 31))
    assert with_2027.is_provisional(date(2026, 12, 6), date(2028, 1, 1))


# --- 2027 with the explicit options: plain weekdays, or stop ------------------------------------


def test_weekdays_counts_ninety_weekdays_before_a_2027_expiry_and_flags_them(weekdays: WorkingDayCalendar) -> None:
    # 63 weekdays of 2027 before 03-31 (1 January counted: no holiday at all), then 23 in December 2026 and
    # 4 in November.
    result = weekdays.working_days_before(days("2027-03-31", "2026-12-15"), 90)

    assert as_dates(result.dates) == ["2026-11-25", "2026-08-05"]
    assert result.assumed.tolist() == [True, False]
    assert result.unknown_years == {2027}


def test_weekdays_counts_new_years_day_as_working(weekdays: WorkingDayCalendar) -> None:
    result = weekdays.working_days_before(days("2027-01-15"), 15)

    assert as_dates(result.dates) == ["2026-12-25"]
    assert result.assumed.tolist() == [True]
    assert as_dates(weekdays.add_working_days(days("2026-12-30"), 3).dates) == ["2027-01-04"]


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
    stop: WorkingDayCalendar, weekdays: WorkingDayCalendar, rule: WorkingDayCalendar
) -> None:
    with pytest.raises(CalendarYearUnknown):
        stop.is_working_day(date(2027, 1, 1))
    assert weekdays.is_working_day(date(2027, 1, 1)) is True  # a Friday, assumed working
    assert weekdays.is_working_day(date(2027, 1, 2)) is False
    assert rule.is_working_day(date(2027, 1, 1)) is False  # 元旦


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


def test_nat_rows_give_nat_and_are_never_flagged(rule: WorkingDayCalendar) -> None:
    result = rule.working_days_before(days("NaT", "2027-03-31", "NaT"), 90)

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


def reference_is_working(day: date, by_rule: bool) -> bool:
    """The package's own answer where it knows the year; elsewhere Monday–Friday, less the statutory days by rule."""
    if 2004 <= day.year <= 2026:
        return day in package_working_days()
    return day.weekday() < 5 and not (by_rule and day in rule_days(day.year))


@cache
def rule_days(year: int) -> frozenset[date]:
    return frozenset(statutory_holidays(year))


def reference_before(day: date, n: int, by_rule: bool) -> date:
    found, counted = day, 0
    while counted < n:
        found -= timedelta(days=1)
        counted += reference_is_working(found, by_rule)
    return found


def reference_after(day: date, n: int, by_rule: bool) -> date:
    found, counted = day, 0
    while counted < n:
        found += timedelta(days=1)
        counted += reference_is_working(found, by_rule)
    return found


# Each policy with a span of inputs it can answer: `weekdays` crosses into 2003 and 2027, years the package does
# not know; `rule` refuses unknown years before 2025, so its span starts later and reaches 2029.
POLICIES = [
    pytest.param(UnknownYearPolicy.WEEKDAYS, "2004-06-01", id="weekdays"),
    pytest.param(UnknownYearPolicy.RULE, "2007-01-01", id="rule"),
]


@cache
def calendar_for(policy: UnknownYearPolicy) -> WorkingDayCalendar:
    return WorkingDayCalendar.load(None, policy)


def random_days(count: int, seed: int, first: str = "2004-06-01") -> npt.NDArray[np.datetime64]:
    offsets = np.random.default_rng(seed).integers(0, 365 * 23, count)
    return np.datetime64(first) + offsets.astype("timedelta64[D]")


def assumed_by_reference(a: date, b: date) -> bool:
    return any(y < 2004 or y > 2026 for y in range(min(a, b).year, max(a, b).year + 1))


@pytest.mark.parametrize(("policy", "first"), POLICIES)
@pytest.mark.parametrize("n", [1, 15, 90])
@pytest.mark.parametrize(
    ("method", "reference"),
    [("working_days_before", reference_before), ("add_working_days", reference_after)],
    ids=["before", "after"],
)
def test_the_vectorised_answer_equals_a_day_by_day_loop(
    policy: UnknownYearPolicy, first: str, method: str, reference: Callable[[date, int, bool], date], n: int
) -> None:
    inputs = random_days(300, seed=n, first=first)

    result = getattr(calendar_for(policy), method)(inputs, n)

    expected = [reference(d, n, policy is UnknownYearPolicy.RULE) for d in inputs.tolist()]
    assert result.dates.tolist() == expected
    assert result.assumed.tolist() == [
        assumed_by_reference(d, e) for d, e in zip(inputs.tolist(), expected, strict=True)
    ]


@pytest.mark.parametrize(("policy", "first"), POLICIES)
def test_counts_between_equal_a_day_by_day_loop(policy: UnknownYearPolicy, first: str) -> None:
    start, end = random_days(300, seed=7, first=first), random_days(300, seed=8, first=first)

    counted = calendar_for(policy).working_days_between(start, end)

    def loop(a: date, b: date) -> int:
        sign = 1 if a <= b else -1
        a, b = min(a, b), max(a, b)
        by_rule = policy is UnknownYearPolicy.RULE
        return sign * sum(reference_is_working(a + timedelta(days=i), by_rule) for i in range((b - a).days))

    assert counted.counts.tolist() == [loop(a, b) for a, b in zip(start.tolist(), end.tolist(), strict=True)]


# --- the three operations agree ------------------------------------------------------------------


@pytest.mark.parametrize(("policy", "first"), POLICIES)
@pytest.mark.parametrize("n", [0, 1, 15, 90])
def test_between_a_result_and_its_input_lie_exactly_n_working_days(
    policy: UnknownYearPolicy, first: str, n: int
) -> None:
    calendar = calendar_for(policy)
    inputs = random_days(300, seed=100 + n, first=first)

    before = calendar.working_days_before(inputs, n).dates
    after = calendar.add_working_days(inputs, n).dates

    assert (calendar.working_days_between(before, inputs).counts == n).all()
    # add_working_days does not count d itself: [d + 1, result + 1) holds the n days.
    one = np.timedelta64(1, "D")
    assert (calendar.working_days_between(inputs + one, after + one).counts == n).all()


@pytest.mark.parametrize(("policy", "first"), POLICIES)
@pytest.mark.parametrize("n", [1, 15, 90])
def test_adding_undoes_counting_back_from_a_working_day(policy: UnknownYearPolicy, first: str, n: int) -> None:
    calendar = calendar_for(policy)
    inputs = random_days(300, seed=200 + n, first=first)
    working = inputs[[calendar.is_working_day(d) for d in inputs.tolist()]]

    back = calendar.working_days_before(working, n).dates

    assert (calendar.add_working_days(back, n).dates == working).all()
    assert (calendar.working_days_before(calendar.add_working_days(working, n).dates, n).dates == working).all()


# --- a whole county at once ---------------------------------------------------------------------


def test_a_million_dates_are_answered_at_once_each_as_its_own_count_says() -> None:
    """Vectorised over the whole column (its speed is measured in benchmarks/, the scan suite at 1M rows)."""
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.RULE)
    expiries = np.datetime64("2026-01-01") + np.random.default_rng(1).integers(0, 700, 1_000_000).astype(
        "timedelta64[D]"
    )

    result = calendar.working_days_before(expiries, 90)

    assert result.dates.shape == (1_000_000,)
    sample = np.random.default_rng(2).integers(0, 1_000_000, 50)
    for i in sample:
        alone = calendar.working_days_before(expiries[i : i + 1], 90).dates[0]
        assert result.dates[i] == alone
        assert calendar.working_days_between(np.array([alone]), expiries[i : i + 1]).counts[0] == 90
