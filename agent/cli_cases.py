"""`proactive cases …`: the cases listed (`list`), one case whole (`show`: its ledger and the bots' attempts, with
their evidence), releasing a case the operator has looked at from parking (`release`); the group's other commands
come from agent/cli_renewals.py, agent/cli_chase.py and agent/cli_model.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_chase import register_chase
from agent.cli_model import register_route
from agent.cli_output import CsvFlag, JsonFlag, records_text
from agent.cli_renewals import register_renewals
from agent.cli_types import Fail, GetRuntime
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State

if TYPE_CHECKING:
    from ground.cases.reads import Attempt, CaseRow, LedgerEntry

SHOWN = ("kind", "state", "route", "licence_no", "policy_id", "score", "platform_ref", "application_no")


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    cases_app = typer.Typer(no_args_is_help=True, help="Renewal and subsidy cases.")
    app.add_typer(cases_app, name="cases")

    @cases_app.command("list")
    def cases_list(
        state: Annotated[State | None, typer.Option(help="only cases in this state")] = None,
        route: Annotated[Route | None, typer.Option(help="only renewals routed this way")] = None,
        licence_type: Annotated[str | None, typer.Option("--type", help="only renewals of this licence type")] = None,
        closes_before: Annotated[str | None, typer.Option(help="window closes before YYYY-MM-DD")] = None,
        warned: Annotated[bool, typer.Option(help="only cases with a calendar warning")] = False,
        kind: Annotated[Kind | None, typer.Option(help="only renewals or only subsidies (default: both)")] = None,
        policy: Annotated[str | None, typer.Option(help="subsidy cases of this policy id")] = None,
        count: Annotated[bool, typer.Option("--count", help="print only the number of matching cases")] = False,
        limit: Annotated[int, typer.Option(help="at most this many cases")] = 50,
        as_json: JsonFlag = False,
        as_csv: CsvFlag = False,
    ) -> None:
        """List cases of every kind, or of one (--kind): renewals most urgent (earliest window close) first, subsidies
        oldest first."""
        from ground.cases.reads import CaseFilter, count_cases, list_cases  # lazy

        rt = runtime()
        kind = Kind.SUBSIDY if policy else kind
        which = CaseFilter(
            kind=kind,
            policy_id=policy,
            state=state,
            route=route,
            licence_type=licence_type,
            closes_before=date.fromisoformat(closes_before) if closes_before else None,
            warned=warned,
        )
        with rt.engine.connect() as connection:
            if count:
                console.print(count_cases(connection, which))
                return
            rows = list_cases(connection, which, limit)
        if as_json or as_csv:
            typer.echo(records_text([asdict(row) for row in rows], as_json), nl=False)
            return
        renewals = [row for row in rows if row.kind == Kind.RENEWAL]
        subsidies = [row for row in rows if row.kind == Kind.SUBSIDY]
        # one table per kind asked for; of both kinds, the tables that have rows (an empty renewal table if none has)
        if kind is Kind.RENEWAL or (kind is None and (renewals or not subsidies)):
            console.print(renewal_table(renewals))
        if kind is Kind.SUBSIDY or (kind is None and subsidies):
            console.print(subsidy_table(subsidies, rt.settings.zone))

    register_route(cases_app, runtime, console, fail)

    @cases_app.command("show")
    def show(case_id: int) -> None:
        """One case: its state, why it is parked, its ledger and every bot attempt with its evidence."""
        from ground.cases.reads import attempts, ledger, one_case  # lazy

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
        from ground.cases.release import NotParked, release_parked  # lazy

        rt = runtime()
        try:
            with rt.engine.begin() as connection:
                back = release_parked(connection, case_id, note, "operator", rt.now())
        except NotParked as exc:
            raise fail(str(exc)) from exc
        console.print(f"case {case_id} released: {back}")

    register_chase(cases_app, runtime, console, fail)
    register_renewals(cases_app, runtime, console, fail)


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


def renewal_table(rows: Sequence[CaseRow]) -> Table:
    table = Table("id", "licence", "type", "state", "route", "score", "expires", "window", "warning / parked because")
    for row in rows:
        notes = ("calendar assumed" * bool(row.calendar_warning), row.parked_reason)
        table.add_row(
            str(row.id),
            row.licence_no,
            row.licence_type,
            row.state,
            row.route or "",
            "" if row.score is None else f"{row.score:.3f}",
            str(row.expires_on),
            f"{row.window_opens_on} – {row.window_closes_on}",
            escape("; ".join(note for note in notes if note)),
        )
    return table


def subsidy_table(rows: Sequence[CaseRow], zone: ZoneInfo) -> Table:
    columns = ("id", "subject", "policy", "period", "yuan", "state", "application", "paid", "voucher / parked because")
    table = Table(*columns)
    for row in rows:
        table.add_row(
            str(row.id),
            row.subject_key,
            row.policy_id,
            row.period,
            f"{row.amount_yuan:,}",
            row.state,
            row.application_no or "",
            "" if row.paid_at is None else f"{row.paid_at.astimezone(zone):%Y-%m-%d}",
            escape(row.payment_ref or row.parked_reason or ""),
        )
    return table
