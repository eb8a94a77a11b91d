"""When the bots may work on the platform: its hours, on working days unless set to every day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent.jobs import platform_open
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.settings import PlatformSettings

ZONE = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)


@pytest.mark.parametrize(
    ("moment", "days", "expected"),
    [
        (datetime(2026, 12, 7, 10, 0, tzinfo=ZONE), "working", True),  # Monday morning
        (datetime(2026, 12, 7, 8, 29, tzinfo=ZONE), "working", False),  # before the hours
        (datetime(2026, 12, 7, 17, 30, tzinfo=ZONE), "working", False),  # the hours' end is not in them
        (datetime(2026, 12, 5, 10, 0, tzinfo=ZONE), "working", False),  # Saturday
        (datetime(2026, 12, 5, 10, 0, tzinfo=ZONE), "every", True),
        (datetime(2026, 10, 1, 10, 0, tzinfo=ZONE), "working", False),  # National Day
    ],
)
def test_the_platform_is_worked_on_within_its_hours_on_its_days(moment: datetime, days: str, expected: bool) -> None:
    settings = PlatformSettings(hours="08:30-17:30", days=days)
    assert platform_open(settings, CALENDAR, moment) is expected
