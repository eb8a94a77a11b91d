"""The Chinese working-day calendar: public holidays, adjusted working weekends (调休), operator files."""

from agent.calendar.holiday_files import (
    HolidayFileError,
    HolidayYear,
    load_holiday_dir,
    load_holiday_file,
    parse_holiday_file,
)
from agent.calendar.working_days import (
    CalendarYearUnknown,
    UnknownYearPolicy,
    WorkingDayCalendar,
    WorkingDayCount,
    WorkingDayResult,
    YearSchedule,
)

__all__ = [
    "CalendarYearUnknown",
    "HolidayFileError",
    "HolidayYear",
    "UnknownYearPolicy",
    "WorkingDayCalendar",
    "WorkingDayCount",
    "WorkingDayResult",
    "YearSchedule",
    "load_holiday_dir",
    "load_holiday_file",
    "parse_holiday_file",
]
