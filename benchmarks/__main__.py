"""`python -m benchmarks --sizes 10000 100000 1000000 [--suite SUITE] [--out FILE]` or `--quick`.

Suite `load` (the default): loader and expiry scan. Suite `model`: the renewal classifier's events load, training
and scoring, with its quality figures. Suite `bots`: pre-fills per minute on the local sandbox platform, one browser
against a browser per case (`--sizes` does not apply). Suite `letters`: letter PDFs per minute for a day's batch,
one browser against a browser per letter. Suite `sms`: messages per second from the outbox (SQLite, PostgreSQL)
through the twilio library to the sandbox gateway, against the library alone. Suite `policies`: subsidy policy
matching of 50 policies over counties of `--sizes` subjects (not licences), against a per-row Python evaluator of
the same rules. Suite `chaos`: full days of the service killed `--kills` times (default 100) under platform faults,
gateway faults and a broken export; per kind of fault, the duplicates and losses a bureau cares about (all should be
0; `--sizes` does not apply). Suite `outcome`: the simulated year (`proactive simulate`) of a county of each of
`--sizes` licences (default 10,000) over `--days` days, its wall time and the year's targets. `all`: every suite in
turn but chaos, outcome and workers. Suite `workers`: pre-fills per minute and CPU seconds per case with 1, 2 and
4 Celery workers (PostgreSQL, RabbitMQ, Redis on this machine) beside the in-process bot round.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console

from benchmarks.bots_report import print_bots_report
from benchmarks.bots_runner import run_bots_suite
from benchmarks.chaos_report import print_chaos_report
from benchmarks.chaos_runner import DEFAULT_KILLS, run_chaos_suite
from benchmarks.letters_report import print_letters_report
from benchmarks.letters_runner import run_letters_suite
from benchmarks.model_report import print_model_report
from benchmarks.model_runner import RENEWALS_SIZE, run_model_suite
from benchmarks.outcome_report import print_outcome_report
from benchmarks.outcome_runner import TARGET_LICENCES, run_outcome_suite
from benchmarks.policies_report import print_policies_report
from benchmarks.policies_runner import run_policies_suite
from benchmarks.report import print_report, write_json
from benchmarks.runner import Row, bench_size
from benchmarks.sms_report import print_sms_report
from benchmarks.sms_runner import run_sms_suite
from benchmarks.workers_runner import print_workers_report, run_workers_suite

DEFAULT_SIZES = [10_000, 100_000, 1_000_000]
QUICK_SIZES = [2_000, 10_000]
DATA_ROOT = Path("/tmp/proactive-bench")
WIDE = 160
SUITES = ("load", "model", "bots", "letters", "sms", "policies", "chaos", "outcome", "workers", "all")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="numbers of licences (policies suite: of subjects)"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"sizes {QUICK_SIZES} only (no training county; fewer bot cases)"
    )
    parser.add_argument("--suite", choices=SUITES, default="load", help="which benchmarks to run (default: load)")
    parser.add_argument(
        "--renewals-size",
        type=int,
        default=RENEWALS_SIZE,
        help="model suite: the county (licences) trained on only, for the 100k-renewals target; 0 to skip",
    )
    parser.add_argument(
        "--no-end-to-end", action="store_true", help="policies suite: leave out the run_matching rows (store writes)"
    )
    parser.add_argument("--kills", type=int, default=DEFAULT_KILLS, help="chaos suite: SIGKILLs, shared by the kinds")
    parser.add_argument("--days", type=int, default=365, help="outcome suite: days simulated")
    parser.add_argument("--out", type=Path, help="also write the rows as JSON to this file")
    parser.add_argument("--data-dir", type=Path, default=DATA_ROOT, help="where data and databases go")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    sizes = QUICK_SIZES if args.quick else sorted(set(args.sizes))
    console = Console()
    if not console.is_terminal:
        console = Console(width=WIDE)  # a log file gets the whole table, not one squeezed to 80 columns
    started = time.perf_counter()

    def log(text: str) -> None:
        console.log(text, highlight=False)

    rows: list[Row] = []
    if args.suite in ("load", "all"):
        load_rows: list[Row] = []
        for size in sizes:
            load_rows.extend(bench_size(args.data_dir, size, args.seed, log))
        print_report(console, load_rows)
        rows.extend(load_rows)
    if args.suite in ("model", "all"):
        renewals_size = None if args.quick or args.renewals_size <= 0 else args.renewals_size
        model_rows = run_model_suite(args.data_dir, sizes, renewals_size, args.seed, log)
        print_model_report(console, model_rows)
        rows.extend(model_rows)
    if args.suite in ("bots", "all"):
        bots_rows = run_bots_suite(args.data_dir, args.seed, log, quick=args.quick)
        print_bots_report(console, bots_rows)
        rows.extend(bots_rows)
    if args.suite in ("letters", "all"):
        letters_rows = run_letters_suite(args.data_dir, log, quick=args.quick)
        print_letters_report(console, letters_rows)
        rows.extend(letters_rows)
    if args.suite in ("sms", "all"):
        sms_rows = run_sms_suite(args.data_dir, log, quick=args.quick)
        print_sms_report(console, sms_rows)
        rows.extend(sms_rows)
    if args.suite in ("policies", "all"):
        policies_rows = run_policies_suite(args.data_dir, sizes, args.seed, log, end_to_end=not args.no_end_to_end)
        print_policies_report(console, policies_rows)
        rows.extend(policies_rows)
    if args.suite == "chaos":
        results = run_chaos_suite(args.data_dir / "chaos", args.kills, args.seed, log)
        print_chaos_report(console, results)
    if args.suite == "workers":
        print_workers_report(console, run_workers_suite(args.data_dir, args.seed, log, quick=args.quick))
    if args.suite == "outcome":
        outcome_sizes = sizes if args.sizes != DEFAULT_SIZES else [TARGET_LICENCES]
        print_outcome_report(console, run_outcome_suite(args.data_dir, outcome_sizes, args.days, args.seed, log))
    if args.out is not None:
        console.print(_written(args.out, rows, args.suite, args.data_dir))
    console.print(f"benchmark wall time {time.perf_counter() - started:.1f} s (generation included when not cached)")


def _written(out: Path, rows: list[Row], suite: str, data_dir: Path) -> str:
    """Write the rows to `out`; what was done. Chaos, workers and outcome have no rows: their tables are printed,
    the outcome's summaries kept in the data dir."""
    if not rows:
        return f"--out: the {suite} suite writes no rows (its records are under {data_dir})"
    write_json(out, rows)
    return f"rows written to {out}"


if __name__ == "__main__":
    main()
