"""Who may get an SMS, and when: pure decisions on mobiles, opt-out replies and sending hours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

# Replies that mean "no more SMS": the carriers' conventions and the plain Chinese word. Matched on the whole
# reply, trimmed and case-folded, so "T" stops messages but "Thank you" does not.
OPT_OUT_WORDS = frozenset({"t", "td", "退订", "n", "tuiding", "unsubscribe", "stop"})
MAX_LOOKAHEAD_DAYS = 30  # a calendar with a month of rest days in a row is a broken calendar


# The notify round reads every open case's mobile on each of its runs (a thousand and more at 10,000 licences, six
# runs a day), and parsing one is a tenth of a millisecond: the county's mobiles are parsed once each.
@lru_cache(maxsize=65_536)
def mobile(raw: str | None) -> str | None:
    """The E.164 form of a Chinese mobile, or None if `raw` is not one (landlines cannot receive SMS)."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, "CN")
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_opt_out(reply: str) -> bool:
    return reply.strip().strip("。.!！").casefold() in OPT_OUT_WORDS


@dataclass(frozen=True)
class Hours:
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> Hours:
        start, end = (time.fromisoformat(part) for part in text.split("-"))
        return cls(start, end)


@dataclass(frozen=True)
class SendingHours:
    """SMS go out only within `working` hours on working days and `rest` hours on weekends and holidays (in the
    bureau's time zone); a message due outside them waits for the next opening."""

    working: Hours
    rest: Hours
    is_working_day: Callable[[date], bool]

    def hours_on(self, day: date) -> Hours:
        return self.working if self.is_working_day(day) else self.rest

    def allows(self, local: datetime) -> bool:
        hours = self.hours_on(local.date())
        return hours.start <= local.time() < hours.end

    def next_opening(self, local: datetime) -> datetime:
        """`local` itself if sending is allowed then, else the next moment it is (same time zone)."""
        if self.allows(local):
            return local
        day = local.date()
        for _ in range(MAX_LOOKAHEAD_DAYS):
            opening = datetime.combine(day, self.hours_on(day).start, local.tzinfo)
            if opening > local:
                return opening
            day += timedelta(days=1)
        raise ValueError(f"no sending hours within {MAX_LOOKAHEAD_DAYS} days of {local:%Y-%m-%d}")
