"""`proactive cases show|release`: one case whole (its ledger and the bots' attempts, with their evidence), and
releasing a case the operator has looked at from parking."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from ground.cases.release import NotParked, release_parked
from ground.store.reads import stored_moment
from ground.store.tables import bot_attempts, case_transitions, cases

SHOWN = ("kind", "state", "route", "licence_no", "policy_id", "score", "platform_ref", "application_no")


def register_cases(cases_app: typer.Typer, runtime: Any, console: Console, fail: Any) -> None:
    @cases_app.command("show")
    def show(case_id: int) -> None:
        """One case: its state, why it is parked, its ledger and every bot attempt with its evidence."""
        rt = runtime()
        with rt.engine.connect() as connection:
            case = connection.execute(select(cases).where(cases.c.id == case_id)).mappings().one_or_none()
            if case is None:
                raise fail(f"there is no case {case_id}")
            ledger = connection.execute(
                select(case_transitions)
                .where(case_transitions.c.case_id == case_id)
                .order_by(case_transitions.c.at, case_transitions.c.id)
            ).mappings()
            attempts = connection.execute(
                select(bot_attempts).where(bot_attempts.c.case_id == case_id).order_by(bot_attempts.c.id)
            ).mappings()
            console.print(f"case {case_id}: " + ", ".join(f"{k} {escape(str(case[k]))}" for k in SHOWN if case[k]))
            if case["parked_reason"]:
                console.print(f"[red]parked:[/red] {escape(case['parked_reason'])}")
            console.print(ledger_table(list(ledger), rt.settings.zone))
            console.print(attempts_table(list(attempts), rt.settings.zone))

    @cases_app.command("release")
    def release(
        case_id: int,
        note: Annotated[str, typer.Option(help="what was looked at or fixed, kept in the ledger")] = "",
    ) -> None:
        """Send a parked case back to the state it was parked from, for the bots to take it up again (its earlier
        failures no longer count towards parking it)."""
        rt = runtime()
        try:
            with rt.engine.begin() as connection:
                back = release_parked(connection, case_id, note, "operator", rt.now())
        except NotParked as exc:
            raise fail(str(exc)) from exc
        console.print(f"case {case_id} released: {back}")


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return stored_moment(moment).astimezone(zone)


def ledger_table(rows: list[Any], zone: ZoneInfo) -> Table:
    table = Table("at", "from", "to", "actor", "reason", title="ledger")
    table.add_column("evidence", overflow="fold")
    for row in rows:
        details = row["details"] or {}
        evidence = " ".join(str(details[key]) for key in ("screenshot", "trace") if details.get(key))
        table.add_row(
            f"{local(row['at'], zone):%Y-%m-%d %H:%M}",
            row["old_state"] or "",
            row["new_state"] or "",
            row["actor"],
            escape(row["reason"]),
            escape(evidence),
        )
    return table


def attempts_table(rows: list[Any], zone: ZoneInfo) -> Table:
    table = Table("bot", "started", "outcome", "error", title="bot attempts")
    table.add_column("evidence", overflow="fold")
    for row in rows:
        evidence = row["evidence"] or {}
        table.add_row(
            row["bot"],
            f"{local(row['started_at'], zone):%Y-%m-%d %H:%M:%S}",
            row["outcome"],
            escape(row["error"] or ""),
            escape(" ".join(str(value) for value in evidence.values() if value)),
        )
    return table
