"""Who may get an SMS and when: mobiles, opt-out replies, sending hours across midnight, weekends and holidays."""

from __future__ import annotations

from datetime import datetime

import pytest

from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from notifications.recipients import Hours, SendingHours, is_opt_out, mobile
from tests.notifications.conftest import SHANGHAI

HOURS = SendingHours(
    Hours.parse("08:00-21:00"),
    Hours.parse("10:00-20:00"),
    WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS).is_working_day,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13912345678", "+8613912345678"),  # plain national mobile
        ("+86 139 1234 5678", "+8613912345678"),  # spaced international form
        ("0086-139-1234-5678", "+8613912345678"),  # 00 prefix with dashes
        ("0477-6212345", None),  # a landline cannot receive SMS
        ("1391234567", None),  # a digit short
        ("", None),
        (None, None),
        ("电话未知", None),
    ],
)
def test_only_chinese_mobiles_get_sms(raw: str | None, expected: str | None) -> None:
    assert mobile(raw) == expected


@pytest.mark.parametrize(
    ("reply", "opts_out"),
    [
        ("T", True),
        ("td", True),
        (" TD ", True),
        ("退订", True),
        ("退订。", True),
        ("Thank you", False),  # starts with T, but is not a request to stop
        ("请问什么时候办好", False),
        ("", False),
    ],
)
def test_opt_out_replies(reply: str, opts_out: bool) -> None:
    assert is_opt_out(reply) is opts_out


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "opening"),
    [
        ("2026-11-25 12:00", "2026-11-25 12:00"),  # Wednesday noon: send now
        ("2026-11-25 07:59", "2026-11-25 08:00"),  # before the morning opening
        ("2026-11-25 21:00", "2026-11-26 08:00"),  # at closing: across midnight to the next working morning
        ("2026-11-26 02:30", "2026-11-26 08:00"),  # in the small hours
        ("2026-11-27 21:30", "2026-11-28 10:00"),  # Friday night → Saturday's later opening
        ("2026-11-28 09:00", "2026-11-28 10:00"),  # Saturday before ten
        ("2026-11-28 20:00", "2026-11-29 10:00"),  # Saturday closes at eight
        ("2026-09-30 22:00", "2026-10-01 10:00"),  # eve of National Day → holiday hours
        ("2026-10-07 20:30", "2026-10-08 08:00"),  # last holiday evening → a working Thursday
        ("2026-10-10 08:30", "2026-10-10 08:30"),  # an adjusted working Saturday keeps working hours
    ],
)
def test_sms_wait_for_the_next_opening(now: str, opening: str) -> None:
    assert HOURS.next_opening(at(now)) == at(opening)
