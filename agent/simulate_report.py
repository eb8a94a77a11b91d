"""What `proactive simulate` prints and keeps: the stand-ins named, the year's figures (as `proactive kpi`), the
plots, each target met or missed with the cases that missed it and why, and a JSON summary for the benchmark."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_kpi import cell, kpi_table
from agent.simulate import Plan, Year, simulate
from agent.simulate_clock import SimRuntime
from agent.simulate_standins import STAND_INS
from domain.kpi.figures import FIGURES, Period
from domain.kpi.targets import Target, check_targets
from ground.settings import Settings


def run_and_report(settings: Settings, console: Console, plan: Plan) -> int:
    """Run, print, keep the summary (summary.json in the output folder); the number of targets missed."""
    sim, year = simulate(settings, plan, console)
    targets = targets_of(sim, year)
    print_year(console, year, targets)
    write_summary(plan.output / "summary.json", year, targets)
    return sum(not target.met for target in targets)


def targets_of(sim: SimRuntime, year: Year) -> list[Target]:
    with sim.engine.connect() as connection:
        return check_targets(
            connection,
            year.figures,
            year.valid_at_start,
            year.plan.start,
            year.plan.last_day,
            sim.calendar,
            sim.departments,
            sim.licence_types,
            sim.settings.notify.sms.daily_cap,
            sim.settings.zone,
        )


def print_year(console: Console, year: Year, targets: list[Target]) -> None:
    plan = year.plan
    console.print(
        f"[bold]A simulated county[/bold]: {plan.licences} licences, seed {plan.seed}, {plan.start} + {plan.days} days"
    )
    console.print("STAND-INS (scripts, not people or real systems):")
    for stand_in in STAND_INS:
        console.print(f"  STAND-IN {stand_in}", highlight=False)
    if plan.slow_department:
        console.print(f"  STAND-IN approvers: the slow department is {plan.slow_department}", highlight=False)
    for department in sorted(plan.never_decides):
        console.print(f"  STAND-IN approvers: {department} decides nothing (a target is meant to be missed)")
    _tally(console, "registry changes (STAND-IN)", year.registry_changes)
    _tally(console, "holders' replies (STAND-IN)", year.holder_replies)
    _tally(console, "approvers' decisions (STAND-IN)", year.decisions)
    console.print(kpi_table(year.figures, Period(plan.start, plan.last_day)))
    console.print(f"{len(year.plots)} weekly trend plots in {plan.output / 'plots'}")
    print_targets(console, targets)
    console.print(f"wall time {year.seconds:.0f} s", highlight=False)


def print_targets(console: Console, targets: list[Target]) -> None:
    table = Table("目标", "实测", "结果", title="目标核对 (targets)")
    for target in targets:
        table.add_row(target.label, target.measured, "达成" if target.met else "[red]未达成[/red]")
    console.print(table)
    for target in targets:
        if target.note:
            console.print(f"{target.label}: {escape(target.note)}", highlight=False)
        if target.met:
            continue
        console.print(f"[red]未达成[/red] {target.label}: {target.missed_count} 件", highlight=False)
        for miss in target.misses:
            console.print(f"  {escape(miss)}", highlight=False, soft_wrap=True)
        if target.missed_count > len(target.misses):
            console.print(f"  … and {target.missed_count - len(target.misses)} more", highlight=False)


def write_summary(path: Path, year: Year, targets: list[Target]) -> None:
    """The run as JSON: the plan, the figures, the targets, the stand-ins' tallies, the wall and CPU time by step."""
    plan = year.plan
    summary = {
        "start": plan.start.isoformat(),
        "days": plan.days,
        "licences": plan.licences,
        "seed": plan.seed,
        "stand_ins": list(STAND_INS),
        "figures": {key: cell(key, year.figures[key].iloc[0]) for key in FIGURES},
        "targets": [
            {"label": t.label, "measured": t.measured, "met": t.met, "missed": t.missed_count, "cases": t.misses}
            for t in targets
        ],
        "registry_changes": year.registry_changes,
        "holder_replies": year.holder_replies,
        "decisions": year.decisions,
        "seconds": round(year.seconds, 1),
        "step_seconds": {step: round(s, 1) for step, s in sorted(year.step_seconds.items())},
        "step_cpu_seconds": {step: round(s, 1) for step, s in sorted(year.step_cpu_seconds.items())},
    }
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


def _tally(console: Console, title: str, counts: dict[str, int]) -> None:
    shown = ", ".join(f"{what} {n}" for what, n in sorted(counts.items())) or "none"
    console.print(f"{title}: {shown}", highlight=False)
