"""The pre-fill bot's claim on its cases: our platform reference, written on each case before any browser step (the
intent, recorded first). The bots lock (`agent.jobs.bot_round`) keeps other rounds away; the reference is what
makes a repeat safe: any try that may follow a filing searches the platform for it before filing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, update

from bots.application import platform_ref
from ground.store.tables import cases


def claim_references(engine: Engine, work: list[dict[str, Any]]) -> None:
    """Write our reference on each case that has none; `claimed` marks the cases whose reference this run wrote,
    which no application can have yet."""
    with engine.begin() as connection:
        for case in work:
            case["claimed"] = False
            if case["platform_ref"] is None:
                case["platform_ref"] = platform_ref(case["id"])
                written = connection.execute(
                    update(cases)
                    .where(cases.c.id == case["id"], cases.c.platform_ref.is_(None))
                    .values(platform_ref=case["platform_ref"])
                )
                case["claimed"] = written.rowcount == 1
