"""The legal rules of a renewal as pure functions: whether it may be filed today, when a lapsed licence lapsed,
and the term a renewal grants. Each rule's reference lives in `licence_types.yaml`, beside the numbers it uses.

A renewal (延续) must be applied for before the licence expires, within the period its rules set
(《行政许可法》第五十条); a licence that expired unrenewed is cancelled (第七十条), never renewed.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_

from domain.licence_types import AfterWindowRule, LicenceType, TermStart
from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.store.tables import cases


class Window(StrEnum):
    NOT_YET = "not_yet"  # before the window opens: the holder can be asked, nothing can be filed
    OPEN = "open"  # a renewal may be filed today
    CLOSED = "closed"  # the window closed and the type's rules refuse a late application; not expired yet
    EXPIRED = "expired"  # the licence has expired: no renewal at all


def window_on(today: date, opens_on: date, closes_on: date, expires_on: date, after_window: AfterWindowRule) -> Window:
    """Where a renewal stands on `today`, by its window (counted when the case was scanned) and expiry."""
    if expires_on < today:
        return Window.EXPIRED
    if closes_on < today:
        return Window.OPEN if after_window is AfterWindowRule.ACCEPT_LATE else Window.CLOSED
    return Window.OPEN if opens_on <= today else Window.NOT_YET


def fileable_renewal(today: date, late_types: frozenset[str]) -> ColumnElement[bool]:
    """`window_on(...) is Window.OPEN` for a consented renewal, as a condition the store evaluates over all cases at
    once (the bot's selection): opened by today, and closing today or later — or, for `late_types` (whose rules
    accept a late application), expiring today or later."""
    closes_after = or_(
        cases.c.window_closes_on >= today,
        and_(cases.c.licence_type.in_(sorted(late_types)), cases.c.expires_on >= today),
    )
    return and_(
        cases.c.kind == Kind.RENEWAL.value,
        cases.c.state == State.CONSENTED.value,
        cases.c.window_opens_on <= today,
        closes_after,
    )


def last_filing_day(closes_on: date, expires_on: date, after_window: AfterWindowRule) -> date:
    """The last day a renewal may be filed: the window's close, or the day of expiry where late ones are accepted."""
    return expires_on if after_window is AfterWindowRule.ACCEPT_LATE else closes_on


def renewed_term(licence_type: LicenceType, old_expiry: date, decided_on: date) -> tuple[date, date]:
    """(valid from, expires on) of the renewed licence, as its type's rule says.

    Only a renewal applied for in time is ever decided, so neither start covers a period without a licence: from
    the old expiry the term runs on without a gap; from the decision it starts the day the approver decided.
    """
    runs_on = licence_type.renewed_term.starts is TermStart.OLD_EXPIRY
    start = old_expiry + timedelta(days=1) if runs_on else decided_on
    return start, _years_later(start, licence_type.validity_years) - timedelta(days=1)


def _years_later(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 1 March in a common year, so a term is never short)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)
