"""The outcome suite's tables: per county size, the run and the target; the year's figures; the targets."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from benchmarks.outcome_runner import TARGET_LICENCES, TARGET_SECONDS, OutcomeRow


def print_outcome_report(console: Console, rows: list[OutcomeRow]) -> None:
    runs = Table("licences", "days", "wall s", "CPU s (process tree)", "peak MB (largest process)", "targets met")
    for row in rows:
        runs.add_row(
            f"{row.licences:,}",
            str(row.days),
            f"{row.seconds:.0f}",
            f"{row.cpu_seconds:.0f}",
            f"{row.peak_mb:.0f}",
            row.targets_met,
        )
    console.print(runs)
    for row in rows:
        if row.licences == TARGET_LICENCES and row.days >= 365:
            verdict = "met" if row.seconds < TARGET_SECONDS else "missed"
            console.print(f"target: a {TARGET_LICENCES:,}-licence year in < {TARGET_SECONDS // 60} min: {verdict}")
        figures = Table("figure", "value", title=f"{row.licences:,} licences, {row.days} days")
        for key, value in row.summary.get("figures", {}).items():
            figures.add_row(key, str(value))
        console.print(figures)
        targets = Table("target", "measured", "met", "missed cases")
        for target in row.summary.get("targets", []):
            targets.add_row(
                target["label"], target["measured"], "yes" if target["met"] else "NO", str(target["missed"])
            )
        console.print(targets)
        steps = row.summary.get("step_seconds", {})
        console.print("wall s by step (virtual time of day): " + ", ".join(f"{k} {v}" for k, v in steps.items()))
