"""The letters suite's sequence: Chromium warmed once, then each row printing the same day's letters in a fresh
process: one browser for the batch (as the letter run does), then a browser per letter (the baseline)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from benchmarks import bots_steps, letters_steps
from benchmarks.runner import Row, in_fresh_process, measured_row

LETTERS = 60
QUICK_LETTERS = 10
ONE_BROWSER = "one browser for the batch"
PER_LETTER = "baseline: browser per letter"


def run_letters_suite(root: Path, log: Callable[[str], None], quick: bool = False) -> list[Row]:
    count = QUICK_LETTERS if quick else LETTERS
    log(f"[letters] warming Chromium (one untimed launch): {in_fresh_process(bots_steps.warm_browser):.1f} s")
    rows: list[Row] = []
    for name, step in ((ONE_BROWSER, letters_steps.one_browser), (PER_LETTER, letters_steps.browser_per_letter)):
        log(f"[letters] {name}: {count} letters")
        timed = in_fresh_process(step, str(root / "letters" / f"run-{len(rows) + 1}"), count)
        log(f"[letters] {name}: {timed.seconds:.1f} s, {60 * count / timed.seconds:.1f} letters/min")
        rows.append(measured_row(count, name, timed))
    return rows
