"""Printing the measurements: the table, the growth between sizes, the targets, and the JSON file."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.runner import LOAD_LICENCES, LOAD_SUBJECTS, SCAN_AGAIN, SCAN_FIRST, Row

TARGET_SIZE = 1_000_000
LOAD_TARGET_S = 60.0
SCAN_TARGET_S = 10.0
PEAK_TARGET_MB = 2048.0


def short(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size >= 1_000 and size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def mark(ok: bool) -> str:
    return "[green]ok[/]" if ok else "[red]MISSED[/]"


def time_target(row: Row) -> float | None:
    if row.size < TARGET_SIZE:
        return None
    if row.step == LOAD_LICENCES:
        return LOAD_TARGET_S
    if row.step in (SCAN_FIRST, SCAN_AGAIN):
        return SCAN_TARGET_S
    return None


def target_text(row: Row) -> str:
    parts = []
    limit = time_target(row)
    if limit is not None:
        parts.append(f"< {limit:.0f} s {mark(row.seconds < limit)}")
    parts.append(f"< 2 GB {mark(row.peak_mb < PEAK_TARGET_MB)}")
    return "; ".join(parts)


def table(rows: Sequence[Row]) -> Table:
    out = Table(title="Load and scan against the floor (each figure from a fresh process)")
    for name in ("size", "step", "seconds", "peak MB", "floor", "floor s", "ratio to floor", "rows/s", "target"):
        out.add_column(name, justify="left" if name in ("step", "floor", "target") else "right")
    for row in rows:
        out.add_row(
            f"{row.size:,}",
            row.step,
            f"{row.seconds:.3f}",
            f"{row.peak_mb:,.0f}",
            "read_csv" if row.step.startswith("load") else "SELECT",
            f"{row.floor_seconds:.3f}",
            f"{row.ratio:,.1f}×",
            f"{row.rows_per_second:,.0f}",
            target_text(row),
        )
    return out


def growth_lines(rows: Sequence[Row]) -> list[str]:
    """Per step, time at each size over time at the size before, beside the growth of the rows."""
    lines = []
    steps = list(dict.fromkeys(row.step for row in rows))
    for step in steps:
        of_step = sorted((r for r in rows if r.step == step), key=lambda r: r.size)
        pairs = itertools.pairwise(of_step)
        parts = [
            f"{short(b.size)}/{short(a.size)}: ×{b.seconds / a.seconds:.1f} time "
            f"(floor ×{b.floor_seconds / a.floor_seconds:.1f}, peak ×{b.peak_mb / a.peak_mb:.1f}) "
            f"for ×{b.rows / max(a.rows, 1):.1f} rows"
            for a, b in pairs
        ]
        if parts:
            lines.append(f"  {step:<28} " + "  │  ".join(parts))
    return lines


def target_lines(rows: Sequence[Row]) -> list[str]:
    at_target = [r for r in rows if r.size == TARGET_SIZE]
    lines = []
    if at_target:
        by_step = {r.step: r for r in at_target}
        if LOAD_LICENCES in by_step:
            licences = by_step[LOAD_LICENCES].seconds
            lines.append(f"  load of 1M licences: {licences:.1f} s (target < 60 s) {mark(licences < LOAD_TARGET_S)}")
            if LOAD_SUBJECTS in by_step:
                total = licences + by_step[LOAD_SUBJECTS].seconds
                lines.append(
                    f"  load of 1M, subjects + licences: {total:.1f} s (target < 60 s) {mark(total < LOAD_TARGET_S)}"
                )
        for step in (SCAN_FIRST, SCAN_AGAIN):
            if step in by_step:
                seconds = by_step[step].seconds
                lines.append(f"  {step} of 1M: {seconds:.1f} s (target < 10 s) {mark(seconds < SCAN_TARGET_S)}")
    else:
        lines.append("  (no 1M run: the time targets apply to 1,000,000 licences)")
    if rows:
        worst = max(rows, key=lambda r: r.peak_mb)
        lines.append(
            f"  highest peak: {worst.peak_mb:,.0f} MB ({worst.step}, {worst.size:,}) (target < 2 GB) "
            f"{mark(worst.peak_mb < PEAK_TARGET_MB)}"
        )
    return lines


def print_report(console: Console, rows: Sequence[Row]) -> None:
    console.print(table(rows))
    console.print("floors: read_csv = pyarrow.csv.read_csv(include_columns = the mapping's source columns, as text);")
    console.print("        SELECT = sqlite3 `SELECT licence_no, licence_type, expires_on, status, subject_key FROM")
    console.print("        licences` into a pyarrow table. Both best of 3, same file / database, same run.")
    console.print("growth between sizes (linear = time grows like rows):")
    for line in growth_lines(rows):
        console.print(line, highlight=False)
    console.print("targets:")
    for line in target_lines(rows):
        console.print(line, highlight=False)


def write_json(path: Path, rows: Sequence[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2), encoding="utf-8")
