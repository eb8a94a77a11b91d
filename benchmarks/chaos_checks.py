"""What a bureau cares about after a night of crashes, counted from the outside systems' own records (the platform's
and the gateway's) and from our store. Every count should be 0.

- duplicate applications: platform applications beyond the first for one of our references (one case, one filing)
- duplicate SMS: gateway messages beyond the first with the same recipient and text (one notice, one SMS)
- cases lost or stuck: a bot attempt left `running`, a notice left `created`/`sending`/`printing`, a consented case
  in an open window not filed, a filed case whose platform decision was never read back, a platform application
  that no case of ours knows
- notices never sent: SMS notices the gateway never accepted, without a letter in their place
- rows lost: licence numbers of the export neither in the store nor quarantined
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from ground.cases.lifecycle import State
from ground.store.tables import bot_attempts, cases, licences, notifications, quarantine

COLUMNS = ("duplicate applications", "duplicate SMS", "cases lost or stuck", "notices never sent", "rows lost")
LICENCE_NO = "许可证编号"
DECIDED = ("已通过", "已退回")
OPEN_NOTICE = ("created", "sending", "printing")
ACCEPTED_SMS = ("queued", "accepted", "sent", "delivered", "undelivered", "failed")


@dataclass
class Counts:
    """One kind of fault's counts, and what made up the `stuck` count (to tell a reader where to look)."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    stuck: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {**self.values, "stuck by reason": dict(self.stuck)}


def platform_applications(platform_url: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{platform_url}/_sandbox/applications", timeout=60)
    answer.raise_for_status()
    body = answer.json()
    items = body["items"] if isinstance(body, dict) else body
    return [dict(item) for item in items]


def gateway_messages(gateway_db: Path) -> list[tuple[str, str]]:
    """(recipient, body) of every outbound message the gateway ever accepted, read from its own file."""
    with sqlite3.connect(f"file:{gateway_db}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT \"to\", body FROM messages WHERE direction != 'inbound'").fetchall()
    return [(str(to), str(body)) for to, body in rows]


def extra(counter: Counter[Any]) -> int:
    return sum(count - 1 for count in counter.values() if count > 1)


def application_reference(application: dict[str, Any]) -> str:
    data = application.get("data") or {}
    return str(application.get("reference") or data.get("reference") or "")


def count_all(engine: Engine, platform_url: str, gateway_db: Path, export: Path, today: date) -> Counts:
    counts = Counts()
    applications = platform_applications(platform_url)
    counts.values["duplicate applications"] = extra(Counter(application_reference(a) for a in applications))
    counts.values["duplicate SMS"] = extra(Counter(gateway_messages(gateway_db)))
    counts.stuck = stuck(engine, applications, today)
    counts.values["cases lost or stuck"] = sum(counts.stuck.values())
    counts.values["notices never sent"] = never_sent(engine)
    counts.values["rows lost"] = len(rows_lost(engine, export))
    return counts


def stuck(engine: Engine, applications: list[dict[str, Any]], today: date) -> Counter[str]:
    found: Counter[str] = Counter()
    with engine.connect() as connection:
        found["bot attempt left running"] = connection.execute(
            select(func.count()).where(bot_attempts.c.outcome == "running")
        ).scalar_one()
        found["notice left open"] = connection.execute(
            select(func.count()).where(notifications.c.status.in_(OPEN_NOTICE))
        ).scalar_one()
        found["consented, window open, not filed"] = connection.execute(
            select(func.count()).where(
                cases.c.state == State.CONSENTED.value,
                cases.c.window_opens_on <= today,
                cases.c.window_closes_on >= today,
            )
        ).scalar_one()
        ours = dict(connection.execute(select(cases.c.platform_ref, cases.c.state)).tuples().all())
    for application in applications:
        reference = application_reference(application)
        if reference not in ours:
            found["application no case knows"] += 1
        elif ours[reference] == State.PREFILLED.value and str(application.get("status")) in DECIDED:
            found["decision not read back"] += 1
    return +found


def never_sent(engine: Engine) -> int:
    """SMS notices that ended without the provider taking them and without a letter replacing them."""
    with engine.connect() as connection:
        replaced = set(
            connection.execute(select(notifications.c.fallback_of).where(notifications.c.fallback_of.is_not(None)))
            .scalars()
            .all()
        )
        rows = connection.execute(
            select(notifications.c.id, notifications.c.status, notifications.c.provider_sid).where(
                notifications.c.channel == "sms"
            )
        ).all()
    finished_unsent = [
        id_ for id_, status, sid in rows if sid is None and status not in ("cancelled", *ACCEPTED_SMS, *OPEN_NOTICE)
    ]
    return sum(1 for id_ in finished_unsent if id_ not in replaced)


def rows_lost(engine: Engine, export: Path) -> list[str]:
    """Licence numbers in the export that neither loaded nor were quarantined (with the row that carried them)."""
    with export.open(encoding="utf-8-sig", errors="replace", newline="") as handle:  # a cut may split a character
        numbers = {row.get(LICENCE_NO, "") for row in csv.DictReader(handle)} - {"", None}
    with engine.connect() as connection:
        stored = set(connection.execute(select(licences.c.licence_no)).scalars().all())
        raws = connection.execute(select(quarantine.c.raw)).scalars().all()
    quarantined = json.dumps(list(raws), ensure_ascii=False)
    return sorted(n for n in numbers if n not in stored and n not in quarantined)


def progress(engine: Engine) -> tuple[Any, ...]:
    """A fingerprint of where the work stands: the same after two clean cycles means nothing more will change."""
    with engine.connect() as connection:
        states = connection.execute(select(cases.c.state, func.count()).group_by(cases.c.state)).tuples().all()
        statuses = (
            connection.execute(select(notifications.c.status, func.count()).group_by(notifications.c.status))
            .tuples()
            .all()
        )
    return tuple(sorted(states)), tuple(sorted(statuses))
