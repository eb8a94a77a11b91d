"""An oracle for the texts holders were sent: each SMS checked against the case and licence it speaks of, as the
store holds them now, independently of the code that wrote it. It returns the contradictions found."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from ground.store.reads import stored_moment
from ground.store.tables import case_transitions, cases, e_licences, licences, notifications

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def contradictions(connection: Connection) -> list[str]:
    query = (
        select(notifications, cases.c.state, cases.c.route, cases.c.application_no, cases.c.window_closes_on)
        .join(cases, cases.c.id == notifications.c.case_id)
        .where(notifications.c.channel == "sms", notifications.c.sent_at.is_not(None), cases.c.kind == "renewal")
    )
    found = []
    for sms in connection.execute(query).mappings():
        licence = connection.execute(select(licences).where(licences.c.licence_no == sms["context"]["licence_no"]))
        problems = check(connection, dict(sms), dict(licence.mappings().one()))
        found += [f"SMS {sms['id']} ({sms['event']}): {problem}: {sms['body']}" for problem in problems]
    return found


def check(connection: Connection, sms: dict[str, Any], licence: dict[str, Any]) -> list[str]:
    body, event = sms["body"], sms["event"]
    sent_on = stored_moment(sms["sent_at"]).astimezone(SHANGHAI).date()
    dates = [date(int(y), int(m), int(d)) for y, m, d in CN_DATE.findall(body)]
    original = _original_expiry(connection, sms["case_id"], licence)
    problems = [] if licence["licence_no"] in body else ["does not name its licence"]
    if "先行受理" in body and sms["state"] not in ("prefilled", "done"):
        problems.append("says the application was accepted; none was filed")
    if event in ("consent_request", "expiry_reminder", "supply_materials", "seamless_started", "window_closed"):
        problems += [] if original in dates and original >= sent_on else ["wrong or past expiry"]
    if event in ("consent_request", "supply_materials", "seamless_started"):
        problems += [] if max(dates) > sent_on else ["its deadline is not a later day than the message"]
    if event in ("consent_request", "expiry_reminder", "supply_materials", "seamless_started"):
        problems += [] if min(dates) >= sent_on else ["asks for something by a day already past"]
    if event == "consent_request" and sms["window_closes_on"] < sent_on:
        problems.append("invites consent after the window closed")
    if event == "window_closed" and not sms["window_closes_on"] < sent_on:
        problems.append("says the window closed while it was open")
    if event == "lapsed" and not (original in dates and original < sent_on and sms["state"] == "lapsed"):
        problems.append("says lapsed of a licence that had not lapsed")
    if event == "seamless_started" and not (sms["application_no"] and sms["application_no"] in body):
        problems.append("names no application we filed")
    if event == "renewed":
        problems += _renewed(connection, sms["case_id"], dates, licence)
    return problems


def _original_expiry(connection: Connection, case_id: int, licence: dict[str, Any]) -> date:
    """The expiry the case was opened for (a renewed licence's row now carries its new term)."""
    expiry: date = connection.execute(select(cases.c.expires_on).where(cases.c.id == case_id)).scalar_one()
    return expiry


def _renewed(connection: Connection, case_id: int, dates: list[date], licence: dict[str, Any]) -> list[str]:
    issued = connection.execute(select(e_licences).where(e_licences.c.case_id == case_id)).mappings().first()
    done = connection.execute(
        select(case_transitions.c.id).where(
            case_transitions.c.case_id == case_id, case_transitions.c.new_state == "done"
        )
    ).first()
    if issued is None or done is None:
        return ["says renewed and updated before it was"]
    if not (issued["expires_on"] == licence["expires_on"] and issued["expires_on"] in dates):
        return ["states a term our records do not hold"]
    return []
