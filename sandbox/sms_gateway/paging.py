"""Listing messages as Twilio does: filters To, From and DateSent (exact day, `DateSent<` on or before, `DateSent>`
on or after), newest first, pages of PageSize chained by PageToken, and the paging envelope the twilio library
follows (`next_page_uri` …) through `list()` and `stream()`.

A page token is "PA" + the SID of the last message of the page before (what follows it) or "PB" + the SID of the
first message of the page after (what precedes it). Messages not yet sent have no date_sent: a DateSent filter
leaves them out, as Twilio's does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sandbox.sms_gateway.db import Message
from sandbox.sms_gateway.errors import twilio_error
from sandbox.sms_gateway.resource import message_json, messages_uri, stored_time

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 1000
FILTERS = ("To", "From", "DateSent", "DateSent<", "DateSent>")
INSTANT = timedelta(microseconds=1)  # turns "on or before t" into "before t + 1 µs"
DAY = timedelta(days=1)


@dataclass(frozen=True)
class ListQuery:
    filters: tuple[tuple[str, str], ...]  # as the caller gave them, repeated in the page URIs
    to: str | None
    sender: str | None
    sent_from: datetime | None  # date_sent >= this (naive UTC)
    sent_until: datetime | None  # date_sent < this
    page_size: int
    page: int
    page_token: str | None


@dataclass(frozen=True)
class PageRows:
    rows: Sequence[Message]
    has_next: bool
    has_previous: bool


def parse_sent(name: str, text: str) -> tuple[datetime, bool]:
    """A DateSent value as naive UTC, and whether it names a whole day (YYYY-MM-DD) rather than an instant."""
    try:
        return datetime.combine(date.fromisoformat(text), time()), True
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            raise twilio_error(20001, name=name, value=text) from None
    return stored_time(moment if moment.tzinfo else moment.replace(tzinfo=UTC)), False


def sent_window(params: Mapping[str, str]) -> tuple[datetime | None, datetime | None]:
    """The [from, until) window of date_sent the three DateSent filters leave."""
    bounds_from: list[datetime] = []
    bounds_until: list[datetime] = []
    if "DateSent" in params:
        moment, _ = parse_sent("DateSent", params["DateSent"])
        day = datetime.combine(moment.date(), time())
        bounds_from.append(day)
        bounds_until.append(day + DAY)
    if "DateSent>" in params:
        bounds_from.append(parse_sent("DateSent>", params["DateSent>"])[0])
    if "DateSent<" in params:
        moment, whole_day = parse_sent("DateSent<", params["DateSent<"])
        bounds_until.append(moment + (DAY if whole_day else INSTANT))
    return max(bounds_from, default=None), min(bounds_until, default=None)


def parse_int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise twilio_error(20001, name=name, value=text)
    return int(text)


def parse_list_query(params: Mapping[str, str]) -> ListQuery:
    sent_from, sent_until = sent_window(params)
    return ListQuery(
        filters=tuple((name, params[name]) for name in FILTERS if name in params),
        to=params.get("To"),
        sender=params.get("From"),
        sent_from=sent_from,
        sent_until=sent_until,
        page_size=parse_int(params, "PageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        page=parse_int(params, "Page", 0, 0, 10**9),
        page_token=params.get("PageToken") or None,
    )


def filtered(account_sid: str, query: ListQuery) -> Select[tuple[Message]]:
    statement = select(Message).where(Message.account_sid == account_sid)
    if query.to is not None:
        statement = statement.where(Message.to == query.to)
    if query.sender is not None:
        statement = statement.where(Message.sender == query.sender)
    if query.sent_from is not None:
        statement = statement.where(Message.date_sent >= query.sent_from)
    if query.sent_until is not None:
        statement = statement.where(Message.date_sent < query.sent_until)
    return statement


def token_seq(db: Session, account_sid: str, token: str) -> tuple[str, int]:
    """The direction ("PA" after, "PB" before) and the list position a page token points at."""
    direction, sid = token[:2], token[2:]
    seq = db.scalar(select(Message.seq).where(Message.sid == sid, Message.account_sid == account_sid))
    if direction not in {"PA", "PB"} or seq is None:
        raise twilio_error(20001, name="PageToken", value=token)
    return direction, seq


def select_page(db: Session, account_sid: str, query: ListQuery) -> PageRows:
    size, statement = query.page_size, filtered(account_sid, query)
    if query.page_token is None:
        rows = db.scalars(statement.order_by(Message.seq.desc()).offset(query.page * size).limit(size + 1)).all()
        return PageRows(rows[:size], has_next=len(rows) > size, has_previous=query.page > 0)
    direction, seq = token_seq(db, account_sid, query.page_token)
    if direction == "PA":
        rows = db.scalars(statement.where(Message.seq < seq).order_by(Message.seq.desc()).limit(size + 1)).all()
        return PageRows(rows[:size], has_next=len(rows) > size, has_previous=True)
    rows = db.scalars(statement.where(Message.seq > seq).order_by(Message.seq.asc()).limit(size + 1)).all()
    return PageRows(list(reversed(rows[:size])), has_next=True, has_previous=len(rows) > size)


def page_uri(account_sid: str, query: ListQuery, page: int, token: str | None) -> str:
    params = [*query.filters, ("PageSize", str(query.page_size)), ("Page", str(page))]
    return messages_uri(account_sid) + "?" + urlencode([*params, *([("PageToken", token)] if token else [])])


def envelope(account_sid: str, query: ListQuery, found: PageRows) -> dict[str, Any]:
    rows, start = found.rows, query.page * query.page_size
    next_uri = page_uri(account_sid, query, query.page + 1, "PA" + rows[-1].sid) if found.has_next and rows else None
    previous_uri = None
    if found.has_previous and query.page > 0:
        previous_uri = page_uri(account_sid, query, query.page - 1, "PB" + rows[0].sid if rows else None)
    return {
        "end": start + len(rows) - 1 if rows else start,
        "first_page_uri": page_uri(account_sid, query, 0, None),
        "messages": [message_json(row) for row in rows],
        "next_page_uri": next_uri,
        "page": query.page,
        "page_size": query.page_size,
        "previous_page_uri": previous_uri,
        "start": start,
        "uri": page_uri(account_sid, query, query.page, query.page_token),
    }
