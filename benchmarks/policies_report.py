"""Printing the policies suite: seconds, peak, pairs per second and the speed-up over the per-row baseline per
row, the cases and yuan matched, the growth between sizes and the issue's targets."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from benchmarks.policies_runner import EVALUATE, MATCH, READ, ROWWISE, RUN_AGAIN, RUN_FIRST
from benchmarks.policies_steps import AS_OF, SAMPLE_SUBJECTS
from benchmarks.report import growth_lines, mark
from benchmarks.runner import Row

TARGET_SUBJECTS = 1_000_000
TARGET_POLICIES = 50
MATCH_TARGET_S = 30.0
PEAK_TARGET_MB = 3 * 1024.0
NOTES = (
    f"policies: the nine shipped and 41 township / industry editions of them, as real files; matched on {AS_OF}.",
    "pairs: subjects × policies in force. speed-up: the per-row baseline's seconds at this size over the row's",
    "         (matching rows only: reading and run_matching do store work the baseline does not).",
    f"per-row: plain Python over {SAMPLE_SUBJECTS:,} subjects spread over the store × every policy, its rate carried",
    "         to the whole county: its seconds are EXTRAPOLATED (≈), its peak is the sample's. It leaves the",
    "         exclusions out, as does the 'evaluate' row it compares with; 'match' adds them.",
    "peak MB: the whole process; the matching rows hold the population read before their clock starts.",
    "cases / M yuan: subject × policy pairs paid and their total in millions of yuan (per-row: the sample's own).",
    "         run_matching: read, match, then write each new case with its trace and ledger entry, into a copy of",
    "         the store with no cases yet (1st), then the same again with nothing to change.",
)


def _seconds(row: Row) -> str:
    return f"≈{row.seconds:,.1f}" if row.step == ROWWISE else f"{row.seconds:.3f}"


def _speed_up(row: Row) -> str:
    if row.step not in (EVALUATE, MATCH):  # the others read or write the store, which the baseline does not
        return "—"
    return f"×{row.floor_seconds / row.seconds:,.0f}" if row.seconds > 0 else "—"


def _cases(row: Row) -> tuple[str, str]:
    """Cases and their total in millions of yuan (the per-row row: its sample's)."""
    counts = row.counts
    if row.step == ROWWISE:
        return f"{counts['sample_cases']:,} (sample)", f"{counts['sample_amount_yuan'] / 1e6:,.1f}"
    if "cases" not in counts:
        return "", ""
    return f"{counts['cases']:,}", f"{counts['amount_yuan'] / 1e6:,.1f}"


def target_text(row: Row) -> str:
    if row.step != MATCH or row.size != TARGET_SUBJECTS:
        return ""
    return f"< {MATCH_TARGET_S:.0f} s {mark(row.seconds < MATCH_TARGET_S)}; < 3 GB {mark(row.peak_mb < PEAK_TARGET_MB)}"


def table(rows: Sequence[Row]) -> Table:
    out = Table(title="Policy matching against the per-row Python baseline (each figure from a fresh process)")
    columns = ("subjects", "step", "pairs", "seconds", "peak MB", "pairs/s", "speed-up", "cases", "M yuan", "target")
    for name in columns:
        out.add_column(name, justify="left" if name in ("step", "target") else "right", no_wrap=name == "step")
    for row in rows:
        out.add_row(
            f"{row.counts['subjects']:,}",
            row.step,
            "—" if row.step == READ else f"{row.rows:,}",
            _seconds(row),
            f"{row.peak_mb:,.0f}",
            _rate(row),
            _speed_up(row),
            *_cases(row),
            target_text(row),
        )
    return out


def _rate(row: Row) -> str:
    if row.step == READ:
        return f"{row.rows_per_second:,.0f} subj/s"
    if row.step == ROWWISE:  # measured on the sample: the extrapolation assumes it holds
        return f"{row.counts['sample_pairs'] / row.counts['sample_seconds']:,.0f}"
    return f"{row.rows_per_second:,.0f}"


def target_lines(rows: Sequence[Row]) -> list[str]:
    matches = [r for r in rows if r.step == MATCH and r.size == TARGET_SUBJECTS]
    if not matches:
        return [
            f"  (no {TARGET_SUBJECTS:,}-subject run: the targets apply to 1M subjects × {TARGET_POLICIES} policies)"
        ]
    lines = []
    for row in matches:
        policies = row.counts["policies"]
        lines.append(
            f"  match {row.counts['subjects']:,} subjects × {policies} policies: {row.seconds:.1f} s "
            f"(target < {MATCH_TARGET_S:.0f} s) {mark(row.seconds < MATCH_TARGET_S)}; peak {row.peak_mb:,.0f} MB "
            f"(target < 3 GB) {mark(row.peak_mb < PEAK_TARGET_MB)}"
            + ("" if policies == TARGET_POLICIES else f" [red]({policies} policies, not {TARGET_POLICIES})[/]")
        )
        read = next((r for r in rows if r.step == READ and r.size == row.size), None)
        if read is not None:
            total = read.seconds + row.seconds
            lines.append(
                f"  with reading the population from SQLite first: {total:.1f} s {mark(total < MATCH_TARGET_S)} "
                f"(read peak {read.peak_mb:,.0f} MB)"
            )
    lines += [
        f"  (no target) {r.step} at {r.counts['subjects']:,} subjects, store writes included: {r.seconds:.1f} s, "
        f"peak {r.peak_mb:,.0f} MB"
        for r in rows
        if r.step in (RUN_FIRST, RUN_AGAIN) and r.size == TARGET_SUBJECTS
    ]
    return lines


def print_policies_report(console: Console, rows: Sequence[Row]) -> None:
    console.print(table(rows))
    for line in NOTES:
        console.print(line, highlight=False)
    console.print("growth between sizes (linear = time grows like rows):")
    for line in growth_lines([r for r in rows if r.step != ROWWISE]):
        console.print(line, highlight=False)
    console.print("targets:")
    for line in target_lines(rows):
        console.print(line, highlight=False)
