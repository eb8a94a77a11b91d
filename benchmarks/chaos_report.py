"""The chaos suite's table: one row per kind of fault, the counts a bureau cares about (all should be 0)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from benchmarks.chaos_checks import COLUMNS
from benchmarks.chaos_runner import KindResult


def print_chaos_report(console: Console, results: list[KindResult]) -> None:
    table = Table("kind of fault", "kills", "cycles", *COLUMNS, "seconds", title="Chaos: what a night of faults broke")
    for result in results:
        values = [str(result.counts.values[column]) for column in COLUMNS]
        table.add_row(result.kind, str(result.kills), str(result.cycles), *values, f"{result.seconds:.0f}")
    console.print(table)
    for result in results:
        if result.counts.stuck:
            detail = ", ".join(f"{why} {n}" for why, n in sorted(result.counts.stuck.items()))
            console.print(f"{result.kind}: stuck = {detail}")
        if result.broken_rows_lost:
            console.print(f"{result.kind}: {result.broken_rows_lost} rows lost while the export was broken")
