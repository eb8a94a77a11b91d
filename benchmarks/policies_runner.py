"""The policies suite's sequence per size: a county of that many subjects generated and loaded once (cached),
fifty policy files written once, then each row in a fresh process, the per-row baseline among them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import policies_steps
from benchmarks.policy_variants import write_policy_folder
from benchmarks.runner import Row, in_fresh_process, measured_row, warm
from benchmarks.steps import Timed, db_path

READ = "read population"
EVALUATE = "evaluate (no exclusions)"
MATCH = "match (+ exclusions)"
ROWWISE = "per-row Python ≈"
RUN_FIRST = "run_matching, 1st"
RUN_AGAIN = "run_matching, again"
BASELINE = "per-row Python, extrapolated from a sample"
ORDER = (READ, EVALUATE, MATCH, ROWWISE, RUN_FIRST, RUN_AGAIN)  # as the table shows them


def data_dir(root: Path, size: int) -> Path:
    return root / f"policies-{size}"


def run_policies_suite(
    root: Path, sizes: Sequence[int], seed: int, log: Callable[[str], None], end_to_end: bool = True
) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-policies-") as folder:
        count = len(write_policy_folder(Path(folder)))
        log(f"[policies] {count} policy files written to {folder} and loaded back")
        for size in sizes:
            rows.extend(_bench_size(data_dir(root, size), size, folder, seed, log, end_to_end))
    return rows


def _bench_size(
    here: Path, size: int, policy_dir: str, seed: int, log: Callable[[str], None], end_to_end: bool
) -> list[Row]:
    tag = f"[{size:,} subjects]"
    log(f"{tag} preparing the county ({policies_steps.licences_for(size):,} licences) in {here} (once, reused)")
    in_fresh_process(policies_steps.prepare, str(here), size, seed)
    warm(db_path(here))
    log(f"{tag} per-row baseline on a sample of {policies_steps.SAMPLE_SUBJECTS:,} subjects")
    sample = in_fresh_process(policies_steps.rowwise_sample, str(here), policy_dir)
    baseline = extrapolated(sample)
    log(f"{tag} per-row: {sample.rows / sample.seconds:,.0f} pairs/s → {baseline.seconds:,.1f} s at full size")
    measured: list[tuple[str, Timed]] = [(ROWWISE, baseline)]
    steps: list[tuple[str, Callable[..., Timed], tuple[str, ...]]] = [
        (READ, policies_steps.read, (str(here),)),
        (EVALUATE, policies_steps.evaluate_all, (str(here), policy_dir)),
        (MATCH, policies_steps.match_all, (str(here), policy_dir)),
    ]
    if end_to_end:
        in_fresh_process(policies_steps.empty_matching_store, str(here))
        steps += [(name, policies_steps.run_end_to_end, (str(here), policy_dir)) for name in (RUN_FIRST, RUN_AGAIN)]
    for name, step, args in steps:
        log(f"{tag} {name}: measuring")
        timed = in_fresh_process(step, *args)
        log(f"{tag} {name}: {timed.seconds:.2f} s, peak {timed.peak_mb:,.0f} MB")
        measured.append((name, timed))
    policies_steps.drop_matching_store(str(here))
    measured.sort(key=lambda pair: ORDER.index(pair[0]))
    return [measured_row(size, name, timed, BASELINE, baseline) for name, timed in measured]


def extrapolated(sample: Timed) -> Timed:
    """The sample's rate carried to every subject × policy of the county; the sample's own figures kept."""
    counts = sample.counts
    pairs = counts["subjects"] * counts["policies"]
    seconds = sample.seconds * pairs / max(sample.rows, 1)
    return Timed(
        seconds,
        sample.peak_mb,
        pairs,
        counts | {"extrapolated": True, "sample_seconds": sample.seconds, "sample_pairs": sample.rows},
    )
