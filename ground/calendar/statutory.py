"""The statutory public holidays of a year, counted by rule, for years the State Council has not published.

The law fixes which days are off; the State Council's yearly notice (国务院办公厅关于部分节假日安排的通知)
only arranges them into blocks. The rule here is article 2 of 《全国年节及纪念日放假办法》 as amended by
国务院令第798号 (2024-11-10, in force 2025-01-01): 13 days a year, listed in ``STATUTORY_HOLIDAYS``.

What the rule cannot know, and why a year counted by it stays provisional:
- adjusted working weekends (调休上班), which add working days;
- the weekday given instead of a holiday that falls on a weekend (补假, article 6), and the days the notice
  strings between a holiday and a weekend, which remove working days.
So a count over such a year can be off in either direction by a few days, until the notice is published and
the operator adds its holiday file.

Lunar dates and the Qingming solar term come from tyme4py (6tail's successor to lunar-python, MIT), which
computes both astronomically (寿星天文历) for any year rather than from a table that ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tyme4py.lunar import LunarDay
from tyme4py.solar import SolarTerm

RULE_REFERENCE = "《全国年节及纪念日放假办法》第二条（2024年11月10日国务院令第798号修订，2025年1月1日起施行）"
# Years before this were governed by earlier versions (e.g. no 除夕 and one day of 劳动节 in 2014-2024), and
# the package publishes them anyway: the rule is only ever needed, and only right, from here on.
RULE_IN_FORCE_FROM = 2025


def _solar(day: Any) -> date:
    """A tyme4py SolarDay as a date (tyme4py ships no type information)."""
    return date(int(day.get_year()), int(day.get_month()), int(day.get_day()))


def lunar_to_solar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of lunar year ``year``, in its ordinary (not leap) ``month``."""
    return _solar(LunarDay.from_ymd(year, month, day).get_solar_day())


def qingming(year: int) -> date:
    """The day of the Qingming solar term (清明, the sun at 15°) in China Standard Time: 4 or 5 April."""
    return _solar(SolarTerm.from_name(year, "清明").get_solar_day())


def lunar_new_years_eve(year: int) -> date:
    """除夕: the last day of the twelfth lunar month (29th or 30th), the eve of 正月初一 of ``year``."""
    return lunar_to_solar(year, 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class StatutoryHoliday:
    name: str  # as the measures name it
    days: int  # consecutive days off, from the first
    first_day: Callable[[int], date]


# Article 2 of the measures, in its order. Every first day falls in the Gregorian year it is asked for:
# 除夕 is between 20 January and 19 February, 端午 in June, 中秋 in September or October.
STATUTORY_HOLIDAYS: tuple[StatutoryHoliday, ...] = (
    StatutoryHoliday("元旦", 1, lambda year: date(year, 1, 1)),
    StatutoryHoliday("春节", 4, lunar_new_years_eve),  # 农历除夕、正月初一至初三
    StatutoryHoliday("清明节", 1, qingming),
    StatutoryHoliday("劳动节", 2, lambda year: date(year, 5, 1)),  # 5月1日、2日
    StatutoryHoliday("端午节", 1, lambda year: lunar_to_solar(year, 5, 5)),
    StatutoryHoliday("中秋节", 1, lambda year: lunar_to_solar(year, 8, 15)),
    StatutoryHoliday("国庆节", 3, lambda year: date(year, 10, 1)),  # 10月1日至3日
)


def statutory_holidays(year: int) -> dict[date, str]:
    """Every statutory day off of ``year`` with its holiday's name; weekends and 调休 not included.

    中秋 can fall on 1-3 October (2028, 2031): both holidays are still owed, so a day that meets one already
    taken moves to the next day not yet off, as the notices did when they met before (2020: 4 statutory days
    from 1 October).
    """
    if year < RULE_IN_FORCE_FROM:
        raise ValueError(f"the statutory rule applies from {RULE_IN_FORCE_FROM} on, not to {year}")
    days: dict[date, str] = {}
    for holiday in STATUTORY_HOLIDAYS:
        day = holiday.first_day(year)
        for _ in range(holiday.days):
            while day in days:
                day += timedelta(days=1)
            days[day] = holiday.name
            day += timedelta(days=1)
    return dict(sorted(days.items()))
