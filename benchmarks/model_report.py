"""Printing the classifier suite: the timing table, the quality table, the growth between sizes and the targets."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.model_runner import LOAD_EVENTS, RENEWALS_SIZE, SCORE, TRAIN, TRAIN_MAX_LICENCES
from benchmarks.report import growth_lines, mark, short
from benchmarks.runner import Row

SCORE_SIZE = 1_000_000
SCORE_TARGET_S = 20.0
SCORE_PEAK_TARGET_MB = 3 * 1024.0
TRAIN_RENEWALS = 100_000
TRAIN_TARGET_S = 120.0
FLOOR_NOTES = (
    "floors: read_csv = pyarrow.csv.read_csv of events.csv (the mapping's source columns, as text);",
    "        SELECT = Python's sqlite3 running scoring's own event query (5 columns, each event's category worked",
    "        out in SQL; 5-year lookback, whole past for renewals, changes, penalties, the abnormal list) into a",
    "        pyarrow table, in one process. Both best of 3. Scoring reads through Arrow in child processes instead",
    "        (events in 2 id ranges, licences, subjects), so it can beat this floor of the in-process driver.",
    "        Training has no floor.",
    "peak of scoring: the larger of its own process's and, during the read, that process after it plus its 4",
    "        readers each counted at the largest reader's peak (an upper bound).",
)
PHASE_NAMES = {  # train_and_publish's phases as the split shows them; saving, reloading and reports are "publish"
    "read_history": "read",
    "training_examples": "examples",
    "train": "fit",
    "save_model": "publish",
    "load_model": "publish",
    "write_reports": "publish",
}
MODEL_NAMES = {"gradient_boosting": "boosting", "logistic_regression": "logistic"}


def split_text(row: Row) -> str:
    """Where the step's time went."""
    counts = row.counts
    if row.step == SCORE:
        text = f"read {counts['read_seconds']:.1f} + features/score {counts['score_seconds']:.1f} s"
        if "largest_reader_mb" in counts:
            text += (
                f"; peak max({counts['own_peak_mb']:,}, {counts['after_read_mb']:,} + "
                f"{counts['readers']} readers × {counts['largest_reader_mb']:,}) MB"
            )
        if counts.get("model_from") != row.size:
            text += f"; {short(int(counts['model_from']))} county's model (none trained at this size)"
        return text
    if row.step == TRAIN:
        shown: dict[str, float] = {}
        for name, seconds in counts.get("phases", {}).items():
            shown[PHASE_NAMES.get(name, name)] = shown.get(PHASE_NAMES.get(name, name), 0.0) + seconds
        shown["other"] = row.seconds - sum(shown.values())
        return ", ".join(f"{name} {seconds:.1f}" for name, seconds in shown.items()) + " s"
    if row.step == LOAD_EVENTS and counts.get("cached_from"):
        return f"cached: measured when loaded, {str(counts['cached_from'])[:16]}"
    return ""


def target_text(row: Row) -> str:
    if row.step == SCORE and row.size == SCORE_SIZE:
        return (
            f"< {SCORE_TARGET_S:.0f} s {mark(row.seconds < SCORE_TARGET_S)}; "
            f"< 3 GB {mark(row.peak_mb < SCORE_PEAK_TARGET_MB)}"
        )
    if row.step == TRAIN and row.rows >= TRAIN_RENEWALS:
        return f"< {TRAIN_TARGET_S:.0f} s {mark(row.seconds < TRAIN_TARGET_S)}"
    return ""


def timing_table(rows: Sequence[Row]) -> Table:
    out = Table(title="Classifier: events load, training and scoring (each figure from a fresh process)")
    columns = ("size", "step", "rows", "seconds", "peak MB", "floor s", "ratio to floor", "rows/s", "split", "target")
    for name in columns:
        out.add_column(name, justify="left" if name in ("step", "split", "target") else "right")
    for row in rows:
        has_floor = row.floor_seconds > 0
        out.add_row(
            f"{row.size:,}",
            row.step,
            f"{row.rows:,}",
            f"{row.seconds:.3f}",
            f"{row.peak_mb:,.0f}",
            f"{row.floor_seconds:.3f}" if has_floor else "—",
            f"{row.ratio:,.1f}×" if has_floor else "—",
            f"{row.rows_per_second:,.0f}",
            split_text(row),
            target_text(row),
        )
    return out


def _figure(value: Any, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if percent else f"{value:.3f}"


def quality_table(rows: Sequence[Row]) -> Table:
    out = Table(title='Quality on the newest 20 % of renewals ("test" split) — model against the rule baseline')
    columns = (
        "size",
        "renewals",
        "test cases",
        "model",
        "ROC AUC",
        "Brier",
        "seamless ≥",
        "seamless precision",
        "seamless coverage",
        "rule AUC",
        "rule precision",
        "rule coverage",
    )
    for name in columns:
        out.add_column(name, justify="left" if name == "model" else "right", no_wrap=name == "model")
    for row in rows:
        if row.step != TRAIN:
            continue
        q = row.counts["quality"]
        out.add_row(
            f"{row.size:,}",
            f"{row.rows:,}",
            f"{q['test_cases']:,}",
            f"{MODEL_NAMES.get(q['chosen'], q['chosen'])}, {q['calibration']}",
            _figure(q["roc_auc"]),
            _figure(q["brier"]),
            _figure(q["seamless_threshold"]),
            _figure(q["seamless_precision"], percent=True),
            _figure(q["seamless_coverage"], percent=True),
            _figure(q["rule_roc_auc"]),
            _figure(q["rule_precision"], percent=True),
            _figure(q["rule_coverage"], percent=True),
        )
    return out


def train_growth_lines(rows: Sequence[Row]) -> list[str]:
    """Training has no floor: its time and peak at each size over the size before, beside the renewals'."""
    trains = sorted((r for r in rows if r.step == TRAIN), key=lambda r: r.size)
    parts = [
        f"{short(b.size)}/{short(a.size)}: ×{b.seconds / a.seconds:.1f} time (peak ×{b.peak_mb / a.peak_mb:.1f}) "
        f"for ×{b.rows / max(a.rows, 1):.1f} renewals"
        for a, b in itertools.pairwise(trains)
    ]
    return [f"  {TRAIN:<28} " + "  │  ".join(parts)] if parts else []


def target_lines(rows: Sequence[Row]) -> list[str]:
    lines = []
    scores = [r for r in rows if r.step == SCORE and r.size == SCORE_SIZE]
    for row in scores:
        lines.append(
            f"  score 1M licences: {row.seconds:.1f} s (target < 20 s) {mark(row.seconds < SCORE_TARGET_S)}; "
            f"peak {row.peak_mb:,.0f} MB (target < 3 GB) {mark(row.peak_mb < SCORE_PEAK_TARGET_MB)}"
        )
    if not scores:
        lines.append("  (no 1M scoring: the scoring targets apply to 1,000,000 licences)")
    trains = [r for r in rows if r.step == TRAIN and r.rows >= TRAIN_RENEWALS]
    for row in trains:
        lines.append(
            f"  train on {row.rows:,} labelled renewals ({short(row.size)} county): {row.seconds:.1f} s "
            f"(target < 120 s) {mark(row.seconds < TRAIN_TARGET_S)}; peak {row.peak_mb:,.0f} MB"
        )
    if not trains:
        most = max((r.rows for r in rows if r.step == TRAIN), default=0)
        lines.append(f"  (no training on ≥ 100k renewals; the most was {most:,}: the training target is not checked)")
    return lines


def print_model_report(console: Console, rows: Sequence[Row]) -> None:
    console.print(timing_table(rows))
    for line in FLOOR_NOTES:
        console.print(line, highlight=False)
    console.print(
        f"training: every county of ≤ {TRAIN_MAX_LICENCES:,} licences, plus one of {RENEWALS_SIZE:,} "
        "(≈100k renewals) for the training target; larger counties are scored with a smaller county's model."
    )
    console.print(table_or_note(rows))
    console.print("growth between sizes (linear = time grows like rows):")
    for line in growth_lines([r for r in rows if r.step != TRAIN]) + train_growth_lines(rows):
        console.print(line, highlight=False)
    console.print("targets:")
    for line in target_lines(rows):
        console.print(line, highlight=False)


def table_or_note(rows: Sequence[Row]) -> Table | str:
    return quality_table(rows) if any(r.step == TRAIN for r in rows) else "(no training run: no quality figures)"
