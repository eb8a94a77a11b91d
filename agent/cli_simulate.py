"""`proactive simulate`: a generated county run day by day on a virtual clock through the service's jobs, with
labelled stand-ins; the year's figures, the plots and the targets (agent/simulate*.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agent.cli_types import Fail, GetRuntime


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @app.command("simulate")
    def simulate(
        start: Annotated[str, typer.Option(help="the first simulated day, YYYY-MM-DD")] = "2027-01-04",
        days: Annotated[int, typer.Option(min=1, max=3660, help="days to simulate")] = 365,
        licences: Annotated[int, typer.Option(min=10, help="licences in the generated county")] = 1000,
        seed: Annotated[int, typer.Option(help="the county's and the stand-ins' seed")] = 7,
        output: Annotated[Path, typer.Option(help="the run's store, exports, plots and summary")] = Path(
            "var/simulate"
        ),
        database_url: Annotated[
            str | None,
            typer.Option(help="the run's own empty store (default: a SQLite file in --output); never the service's"),
        ] = None,
        slow_department: Annotated[str, typer.Option(help="the STAND-IN approvers' slow department")] = "science",
        never_decides: Annotated[
            list[str] | None, typer.Option(help="a department whose STAND-IN approver decides nothing (repeatable)")
        ] = None,
    ) -> None:
        """Simulate the county's year through the real jobs (stand-ins named); exit 1 if a target is missed."""
        from agent.simulate import Plan  # lazy
        from agent.simulate_report import run_and_report  # lazy

        try:
            first = date.fromisoformat(start)
        except ValueError as exc:
            raise fail(f"--start: {exc}") from exc
        plan = Plan(first, days, licences, seed, output, database_url, slow_department, frozenset(never_decides or ()))
        if run_and_report(runtime().settings, console, plan):
            raise typer.Exit(1)
