"""The Chinese working-day calendar: public holidays, adjusted working weekends (调休), operator files, and the
statutory holidays by rule for years not yet published."""

from ground.calendar.holiday_files import (
    HolidayFileError,
    HolidayYear,
    load_holiday_dir,
    load_holiday_file,
    parse_holiday_file,
)
from ground.calendar.statutory import (
    RULE_IN_FORCE_FROM,
    RULE_REFERENCE,
    STATUTORY_HOLIDAYS,
    StatutoryHoliday,
    statutory_holidays,
)
from ground.calendar.working_days import (
    CalendarYearUnknown,
    UnknownYearPolicy,
    WorkingDayCalendar,
    WorkingDayCount,
    WorkingDayResult,
    YearSchedule,
)

__all__ = [
    "RULE_IN_FORCE_FROM",
    "RULE_REFERENCE",
    "STATUTORY_HOLIDAYS",
    "CalendarYearUnknown",
    "HolidayFileError",
    "HolidayYear",
    "StatutoryHoliday",
    "UnknownYearPolicy",
    "WorkingDayCalendar",
    "WorkingDayCount",
    "WorkingDayResult",
    "YearSchedule",
    "load_holiday_dir",
    "load_holiday_file",
    "parse_holiday_file",
    "statutory_holidays",
]
