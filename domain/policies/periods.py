"""The period a policy pays for on a given matching date, and calendar-year arithmetic for the date conditions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.policies.model import Period, Policy

ONCE = "once"


@dataclass(frozen=True)
class Span:
    label: str  # "2026", or "once": the period part of a case's natural key
    starts: date
    ends: date  # inclusive

    def describe(self) -> str:
        return "政策有效期内" if self.label == ONCE else f"{self.label}年度"


def period_words(label: str) -> str:
    """A case's period as the approver and the holder read it: 2026 → 2026年度; a one-off policy's → 一次性."""
    return "一次性" if label == ONCE else f"{label}年度"


def period_of(policy: Policy, as_of: date) -> Span:
    """The year of `as_of`, the year before it, or (a one-off policy) its whole term up to `as_of`."""
    if policy.period is Period.ONCE:
        return Span(ONCE, policy.effective.starts, policy.effective.ends or as_of)
    year = as_of.year - (1 if policy.period is Period.PREVIOUS_YEAR else 0)
    return Span(str(year), date(year, 1, 1), date(year, 12, 31))


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
