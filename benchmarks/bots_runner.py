"""The bots suite's sequence: a county loaded and scanned once (cached), then each pre-fill run in a fresh process
against a fresh platform process with an empty database.

Rows: the pre-fill bot with one browser and PAGES pages in it working at once (the target), the same browser with
one page (what the pages at once add), a naive bot that launches a browser and logs in again for every case (the
baseline the one-browser design is measured against), the target row with only retries traced (`trace_first_try`
off) and, a diagnostic, with the trace's filmstrip (the `trace_screencast` setting), to show what each costs, and the
target row on the
sandbox's Element build with its own profile (a single-page front end: custom selects and date pickers, a
confirmation dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from benchmarks import bots_steps, steps
from benchmarks.runner import Row, in_fresh_process, measured_row, warm

BOTS_SIZE = 3_000  # licences in the county the cases come from
ONE_BROWSER_CASES = 60
NAIVE_CASES = 15
QUICK_CASES = (10, 4)  # --quick: one browser, naive
PAGES = 3  # pages of the one browser at work at once (the `concurrency` setting): enough to keep two cores busy
ONE_BROWSER = f"one browser, {PAGES} pages at once"
ONE_PAGE = "one browser, one page"
NAIVE = "naive: browser per case"
NO_TRACE = f"one browser, {PAGES} pages, first tries untraced (trace_first_try off)"
SCREENCAST = f"diagnostic: one browser, {PAGES} pages, trace with its filmstrip"
ELEMENT = f"Element build (element.yaml), one browser, {PAGES} pages at once"
LOADS = (("county_subjects", "subjects.csv"), ("county_licences", "licences.csv"))


def data_dir(root: Path) -> Path:
    return root / "bots"


def run_bots_suite(root: Path, seed: int, log: Callable[[str], None], quick: bool = False) -> list[Row]:
    here = data_dir(root)
    cases, naive_cases = QUICK_CASES if quick else (ONE_BROWSER_CASES, NAIVE_CASES)
    _prepare(here, BOTS_SIZE, seed, max(cases, naive_cases), log)
    log(f"[bots] warming Chromium (one untimed launch): {in_fresh_process(bots_steps.warm_browser):.1f} s")
    plan = (
        (ONE_BROWSER, cases, PAGES, "snapshots", "standard"),
        (ONE_PAGE, cases, 1, "snapshots", "standard"),
        (NAIVE, naive_cases, 0, "snapshots", "standard"),  # concurrency 0: the naive bot
        (NO_TRACE, cases, PAGES, "retries", "standard"),  # what the per-attempt trace costs
        (SCREENCAST, cases, PAGES, "screencast", "standard"),  # what the filmstrip would add: not a target row
        (ELEMENT, cases, PAGES, "snapshots", "element"),  # a single-page front end: custom widgets, a paged split table
    )
    rows: list[Row] = []
    for name, count, concurrency, trace, profile in plan:
        warm(steps.db_path(here))
        work = str(here / f"run-{len(rows) + 1}")
        log(f"[bots] {name}: {count} cases on a fresh platform")
        if concurrency:
            timed = in_fresh_process(bots_steps.prefill, str(here), work, count, concurrency, trace, profile)
        else:
            timed = in_fresh_process(bots_steps.naive, str(here), work, count)
        rate = 60 * count / timed.seconds
        log(
            f"[bots] {name}: {timed.seconds:.1f} s, {rate:.1f} cases/min, outcomes {timed.counts['outcomes']}, "
            f"{timed.counts['applications']} applications on the platform"
        )
        rows.append(measured_row(BOTS_SIZE, name, timed))
    return rows


def _prepare(here: Path, size: int, seed: int, needed: int, log: Callable[[str], None]) -> None:
    """Generate, load and scan the county once; later runs reuse the store (each measurement copies it)."""
    tag = f"[bots {size:,}]"
    record = bots_steps.scanned(str(here), size, seed)
    if record is None:
        log(f"{tag} preparing a county in {here} (generated, loaded and scanned once, reused)")
        in_fresh_process(steps.prepare, str(here), size, seed)
        in_fresh_process(steps.fresh_store, str(here))
        for mapping, file_name in LOADS:
            in_fresh_process(steps.load, str(here), mapping, file_name)
        in_fresh_process(steps.scan, str(here))
        record = bots_steps.record_scan(str(here), size, seed)
    else:
        log(f"{tag} store already scanned at {record['scanned_at']}: reusing it")
    new, available = int(record["new_cases"].get(bots_steps.LICENCE_TYPE, 0)), int(record["fileable"])
    if available < needed:
        raise RuntimeError(f"{tag} only {available} fileable {bots_steps.LICENCE_TYPE} cases; the suite needs {needed}")
    log(f"{tag} {new:,} new {bots_steps.LICENCE_TYPE} cases, {available:,} with a contact phone to route seamless")
