"""The statutory holidays by rule: checked against the years the State Council has published.

chinese_calendar carries the published schedules with each day's holiday name, so the rule can be held to
them: every day the rule gives off must be a published holiday of the same festival, and every festival a
published year has must be one the rule finds.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import chinese_calendar
import pytest

from ground.calendar import RULE_IN_FORCE_FROM, STATUTORY_HOLIDAYS, statutory_holidays
from ground.calendar.statutory import lunar_new_years_eve, lunar_to_solar, qingming

# The measures' names against the package's names for the same festivals.
PACKAGE_NAME = {
    "元旦": chinese_calendar.Holiday.new_years_day,
    "春节": chinese_calendar.Holiday.spring_festival,
    "清明节": chinese_calendar.Holiday.tomb_sweeping_day,
    "劳动节": chinese_calendar.Holiday.labour_day,
    "端午节": chinese_calendar.Holiday.dragon_boat_festival,
    "中秋节": chinese_calendar.Holiday.mid_autumn_festival,
    "国庆节": chinese_calendar.Holiday.national_day,
}
# The years published under the measures as amended by 国务院令第798号 that the package carries.
PUBLISHED_UNDER_THE_RULE = [2025, 2026]


def published_holidays(year: int) -> dict[date, str]:
    return {d: name for d, name in chinese_calendar.holidays.items() if d.year == year}


def test_the_rule_is_the_thirteen_days_of_the_amended_measures() -> None:
    assert {h.name: h.days for h in STATUTORY_HOLIDAYS} == {
        "元旦": 1,
        "春节": 4,
        "清明节": 1,
        "劳动节": 2,
        "端午节": 1,
        "中秋节": 1,
        "国庆节": 3,
    }
    assert RULE_IN_FORCE_FROM == 2025


def test_the_package_carries_the_years_published_under_the_rule() -> None:
    assert {d.year for d in chinese_calendar.holidays} >= set(PUBLISHED_UNDER_THE_RULE)


@pytest.mark.parametrize("year", PUBLISHED_UNDER_THE_RULE)
def test_every_day_off_by_rule_is_a_published_holiday_of_the_same_festival(year: int) -> None:
    published = published_holidays(year)

    by_rule = statutory_holidays(year)

    assert {d: published.get(d) for d in by_rule} == {d: PACKAGE_NAME[name].value for d, name in by_rule.items()}


@pytest.mark.parametrize("year", PUBLISHED_UNDER_THE_RULE)
def test_every_published_festival_is_found_by_the_rule(year: int) -> None:
    published = set(published_holidays(year).values())

    found = {PACKAGE_NAME[name].value for name in statutory_holidays(year).values()}

    assert found == published


@pytest.mark.parametrize("year", PUBLISHED_UNDER_THE_RULE)
def test_a_published_year_gives_at_least_the_statutory_weekdays_off(year: int) -> None:
    # The notice adds weekday rest days (补假, bridges) but never takes a statutory weekday away.
    published = published_holidays(year)
    statutory_weekdays = [d for d in statutory_holidays(year) if d.weekday() < 5]

    assert all(d in published for d in statutory_weekdays)
    assert sum(d.weekday() < 5 for d in published) >= len(statutory_weekdays)


@pytest.mark.parametrize("year", range(2008, max(chinese_calendar.holidays).year + 1))
def test_lunar_festivals_and_qingming_are_published_holidays_in_every_year_the_package_knows(year: int) -> None:
    # Since 2008 these four have been days off; the package's dates check the library's astronomy.
    for day, festival in [
        (lunar_to_solar(year, 1, 1), chinese_calendar.Holiday.spring_festival),
        (qingming(year), chinese_calendar.Holiday.tomb_sweeping_day),
        (lunar_to_solar(year, 5, 5), chinese_calendar.Holiday.dragon_boat_festival),
        (lunar_to_solar(year, 8, 15), chinese_calendar.Holiday.mid_autumn_festival),
    ]:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        assert on_holiday, f"{day} ({festival.value}) is not a published holiday"
        # A festival on a weekend may be listed as a plain weekend (端午 2012-06-23); 中秋 may share 国庆's name.
        assert name in (festival.value, None, chinese_calendar.Holiday.national_day.value)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (lunar_new_years_eve(2027), date(2027, 2, 5)),  # 除夕 is 腊月廿九: the twelfth month has 29 days
        (lunar_to_solar(2027, 1, 1), date(2027, 2, 6)),  # 正月初一, a Saturday
        (qingming(2027), date(2027, 4, 5)),
        (lunar_to_solar(2027, 5, 5), date(2027, 6, 9)),  # 端午, a Wednesday
        (lunar_to_solar(2027, 8, 15), date(2027, 9, 15)),  # 中秋, a Wednesday
        (qingming(2028), date(2028, 4, 4)),  # a leap year: the term comes a day earlier
        (lunar_to_solar(2028, 1, 1), date(2028, 1, 26)),  # 春节 in January
        (lunar_new_years_eve(2030), date(2030, 2, 2)),  # 腊月三十 this time
    ],
)
def test_lunar_dates_and_qingming_of_unpublished_years(day: date, expected: date) -> None:
    assert day == expected


def test_2027_by_rule() -> None:
    assert statutory_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }


def test_when_mid_autumn_meets_national_day_both_are_still_owed() -> None:
    # 中秋 2028 is 3 October: as in 2020, four days off in a row instead of three.
    october = {d: name for d, name in statutory_holidays(2028).items() if d.month == 10}

    assert sorted(october) == [date(2028, 10, d) for d in (1, 2, 3, 4)]
    assert Counter(october.values()) == {"国庆节": 3, "中秋节": 1}


@pytest.mark.parametrize("year", range(RULE_IN_FORCE_FROM, 2101))
def test_every_year_has_thirteen_days_in_its_own_year(year: int) -> None:
    days = statutory_holidays(year)

    assert len(days) == 13
    assert {d.year for d in days} == {year}


def test_years_before_the_amendment_are_refused() -> None:
    with pytest.raises(ValueError, match="from 2025"):
        statutory_holidays(2024)
