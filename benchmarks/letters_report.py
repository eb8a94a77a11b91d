"""Printing the letters suite: letter PDFs per minute per row, where a letter's time goes, and the ratio."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from benchmarks.bots_report import per_minute
from benchmarks.letters_runner import ONE_BROWSER, PER_LETTER
from benchmarks.letters_steps import PARTS
from benchmarks.runner import Row

NOTES = (
    "letters: the seven events' sample letters in turn, each to a shop of its own; A4, one page each, printed",
    "         duplex into one PDF (a blank back after each) with the post-office manifest, as the daily batch does.",
    "timed: from the first browser start to the manifest on disk; building the requests is not timed.",
    "MB: the measuring process (ru_maxrss: Python, Playwright client, pypdf); the browsers are other processes.",
    "CPU s: that process / browsers (Playwright's driver and Chromium: the machine's busy time from /proc/stat less",
    "       that process's), over the timed run.",
    "split: launch = starting Chromium and opening its page; chromium = set_content + page.pdf; merge = pypdf",
    "       merging the letters, repairing the text layer and writing the PDF's bytes; close = closing Chromium.",
)


def rate_table(rows: Sequence[Row]) -> Table:
    out = Table(title="Letters: PDFs per minute (each row a fresh process, same letters)")
    out.add_column("row", no_wrap=True)
    for name in ("letters", "seconds", "letters/min", "pages", "PDF MB", "MB", "CPU s python/browsers", "refused"):
        out.add_column(name, justify="right")
    for row in rows:
        counts = row.counts
        out.add_row(
            row.step,
            f"{counts['letters']}",
            f"{row.seconds:.1f}",
            f"{per_minute(row):.1f}",
            f"{counts['pages']}",
            f"{counts['pdf_mb']:.1f}",
            f"{row.peak_mb:,.0f}",
            f"{counts['cpu']['python']:.1f} / {counts['cpu']['browsers']:.1f}",
            f"{counts['refused']}",
        )
    return out


def split_table(rows: Sequence[Row]) -> Table:
    out = Table(title="Where a letter's time goes (ms per letter)")
    out.add_column("row")
    for name in (*PARTS, "other", "total"):
        out.add_column(name, justify="right")
    for row in rows:
        parts = row.counts["parts"]
        other = row.seconds - sum(parts.values())
        cells = [*(parts[name] for name in PARTS), other, row.seconds]
        out.add_row(row.step, *(f"{1000 * value / max(row.rows, 1):,.0f}" for value in cells))
    return out


def print_letters_report(console: Console, rows: Sequence[Row]) -> None:
    console.print(rate_table(rows))
    console.print(split_table(rows))
    for line in NOTES:
        console.print(line, highlight=False)
    by_name = {row.step: row for row in rows}
    one, baseline = by_name.get(ONE_BROWSER), by_name.get(PER_LETTER)
    if one is not None and baseline is not None:
        console.print(
            f"  one browser / browser per letter: ×{per_minute(one) / per_minute(baseline):.1f} the letters per minute "
            f"({per_minute(one):.1f} against {per_minute(baseline):.1f})",
            highlight=False,
        )
