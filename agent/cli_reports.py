"""How load and scan reports look on the operator's terminal (shared by the commands and the demo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from domain.registries.load import LoadReport
    from domain.scan.run import ScanReport


def print_load_report(console: Console, report: LoadReport, stored: bool) -> None:
    table = Table(title=f"{report.source}: {report.rows_read} rows read", show_header=False)
    if stored:
        for name in ("inserted", "updated", "unchanged"):
            table.add_row(name, str(getattr(report, name)))
    table.add_row("earlier licence terms (history)", str(report.earlier_terms))
    table.add_row("quarantined", str(report.quarantined))
    for reason, count in sorted(report.reasons.items(), key=lambda item: -item[1]):
        table.add_row(f"  {reason}", str(count))
    console.print(table)


def print_scan_report(console: Console, report: ScanReport) -> None:
    table = Table(title=f"scan as of {report.as_of}", show_header=False)
    for name, value in report.as_counts().items():
        table.add_row(name.replace("_", " "), str(value))
    console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
