"""`proactive cases show|release`: one case whole (its ledger and the bots' attempts, with their evidence), and
releasing a case the operator has looked at from parking."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_types import Fail, GetRuntime
from ground.cases.reads import Attempt, LedgerEntry, attempts, ledger, one_case
from ground.cases.release import NotParked, release_parked

SHOWN = ("kind", "state", "route", "licence_no", "policy_id", "score", "platform_ref", "application_no")


def register_cases(cases_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @cases_app.command("show")
    def show(case_id: int) -> None:
        """One case: its state, why it is parked, its ledger and every bot attempt with its evidence."""
        rt = runtime()
        with rt.engine.connect() as connection:
            case = one_case(connection, case_id)
            if case is None:
                raise fail(f"there is no case {case_id}")
            entries, tries = ledger(connection, case_id), attempts(connection, case_id)
        shown = ((name, getattr(case, name)) for name in SHOWN)
        console.print(f"case {case_id}: " + ", ".join(f"{name} {escape(str(value))}" for name, value in shown if value))
        if case.parked_reason:
            console.print(f"[red]parked:[/red] {escape(case.parked_reason)}")
        console.print(ledger_table(entries, rt.settings.zone))
        console.print(attempts_table(tries, rt.settings.zone))

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


def ledger_table(entries: list[LedgerEntry], zone: ZoneInfo) -> Table:
    table = Table("at", "from", "to", "actor", "reason", title="ledger")
    table.add_column("evidence", overflow="fold")
    for entry in entries:
        evidence = " ".join(str(entry.details[key]) for key in ("screenshot", "trace") if entry.details.get(key))
        table.add_row(
            f"{entry.at.astimezone(zone):%Y-%m-%d %H:%M}",
            entry.old_state or "",
            entry.new_state or "",
            entry.actor,
            escape(entry.reason),
            escape(evidence),
        )
    return table


def attempts_table(tries: list[Attempt], zone: ZoneInfo) -> Table:
    table = Table("bot", "started", "outcome", "error", title="bot attempts")
    table.add_column("evidence", overflow="fold")
    for attempt in tries:
        table.add_row(
            attempt.bot,
            f"{attempt.started_at.astimezone(zone):%Y-%m-%d %H:%M:%S}",
            attempt.outcome,
            escape(attempt.error or ""),
            escape(" ".join(str(value) for value in attempt.evidence.values() if value)),
        )
    return table
