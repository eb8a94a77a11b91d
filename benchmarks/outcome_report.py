"""The outcome suite's tables: per county size, the run and the target; the year's figures; the targets."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from benchmarks.outcome_runner import TARGET_LICENCES, TARGET_SECONDS, OutcomeRow


def print_outcome_report(console: Console, rows: list[OutcomeRow]) -> None:
    # Reaped children only: Chromium's renderers and GPU process are forked by its zygote and mostly missing here
    # (benchmarks/cpu.py), so this is a floor; the machine's busy time is the whole, on a machine otherwise idle.
    runs = Table(
        "licences",
        "days",
        "wall s",
        "CPU s (reaped, a floor)",
        "CPU s (machine)",
        "peak MB (largest process)",
        "targets met",
    )
    for row in rows:
        runs.add_row(
            f"{row.licences:,}",
            str(row.days),
            f"{row.seconds:.0f}",
            f"{row.cpu_seconds:.0f}",
            f"{row.machine_cpu_seconds:.0f}",
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
        console.print("wall s by step (virtual time of day): " + _listed(steps))
        cpu = row.summary.get("step_cpu_seconds", {})
        console.print("CPU s by step, the simulating process (not the browsers): " + _listed(cpu))


def _listed(by_step: dict[str, float]) -> str:
    return ", ".join(f"{step} {seconds}" for step, seconds in by_step.items())
