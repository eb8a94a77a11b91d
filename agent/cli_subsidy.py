"""`proactive subsidy …`: what reaches subsidy cases from outside, today the treasury's payment file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_types import Fail, GetRuntime
from domain.subsidies.payments import Result

if TYPE_CHECKING:
    from domain.subsidies.payments import Outcome

STYLES = {Result.RECORDED: "green", Result.ALREADY: "dim", Result.REFUSED: "red"}


def print_outcomes(console: Console, outcomes: list[Outcome], title: str) -> None:
    from domain.subsidies.payments import Result  # lazy

    table = Table("line", "case", "voucher", "paid on", "yuan", "result", title=title)
    table.columns[1].header = "application (case)"
    for column in table.columns[1:6]:
        column.no_wrap = True
    table.add_column("reason", ratio=1)
    for outcome in outcomes:
        line = outcome.line
        case = escape(line.key) + ("" if outcome.case_id is None else f" ({outcome.case_id})")
        table.add_row(
            str(line.line),
            case,
            escape(line.voucher),
            "" if line.paid_at is None else f"{line.paid_at:%Y-%m-%d}",
            "" if line.amount is None else str(line.amount),
            f"[{STYLES[outcome.result]}]{outcome.result}[/]",
            escape(outcome.reason),
        )
    console.print(table)
    counts = {result: sum(o.result is result for o in outcomes) for result in Result}
    console.print(", ".join(f"{count} {result}" for result, count in counts.items()))


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    subsidy_app = typer.Typer(no_args_is_help=True, help="Subsidy cases: payments recorded from the treasury.")

    @subsidy_app.command("pay")
    def pay(path: Annotated[Path, typer.Argument(help="the treasury's payment file (CSV, UTF-8 or GBK)")]) -> None:
        """Record the treasury's payments on their approved subsidy cases (once: a file imported again changes
        nothing); lines that do not fit their case are refused with the reason, and the command exits 1. A case whose
        policy cites a placeholder reference (〔待填…〕) is refused unless the settings allow placeholders."""
        from domain.subsidies.pay import import_payments  # lazy
        from domain.subsidies.payments import PaymentFileError, Result  # lazy

        rt = runtime()
        try:
            outcomes = import_payments(
                rt.engine,
                path,
                rt.settings.zone,
                rt.now(),
                allow_placeholders=rt.settings.policies.allow_placeholder_references,
            )
        except (OSError, PaymentFileError) as exc:
            raise fail(f"{path}: {exc}\nNothing was recorded from this file.") from exc
        print_outcomes(console, outcomes, f"Payments in {path.name}")
        if any(outcome.result is Result.REFUSED for outcome in outcomes):
            raise typer.Exit(1)

    app.add_typer(subsidy_app, name="subsidy")
