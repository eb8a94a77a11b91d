"""The classifier suite's sequence: per county, generate and load once (cached), then train, score and their floors,
each in a fresh process.

Counties of up to `TRAIN_MAX_LICENCES` licences are trained on and scored with their own model; larger ones are
scored with the model of a smaller county (training a million licences' history is not a target). One more county,
of `RENEWALS_SIZE` licences (about 100,000 labelled renewals), is trained on only, for the training target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import model_steps, steps
from benchmarks.runner import CSV_FLOOR, Row, in_fresh_process, measured_row, warm

LOAD_EVENTS = "load events"
SCORE = "score all licences"
TRAIN = "train"
SCORE_FLOOR = "sqlite3 SELECT scoring event query → pyarrow"
TRAIN_MAX_LICENCES = 200_000
RENEWALS_SIZE = 135_000  # ≈ 100k labelled renewals in the generated county
LOADS = (
    ("county_subjects", "subjects.csv"),
    ("county_licences", "licences.csv"),
    ("county_events", "events.csv"),
)


def data_dir(root: Path, size: int) -> Path:
    return root / f"model-{size}"


def run_model_suite(
    root: Path, sizes: Sequence[int], renewals_size: int | None, seed: int, log: Callable[[str], None]
) -> list[Row]:
    """Every size in `sizes` (load events, train where small enough, score), then or in between, the training-only
    county. A size too large to train on is scored with the model of the largest trained size of `sizes` (else of
    the training-only county)."""
    plan = sorted(set(sizes) | ({renewals_size} if renewals_size else set()))
    trained: dict[int, Path] = {}
    rows: list[Row] = []
    for size in plan:
        here = data_dir(root, size)
        regular = size in sizes
        rows.extend(_prepare_and_load(here, size, seed, log, report=regular))
        if size <= TRAIN_MAX_LICENCES:
            rows.append(_train(here, size, log))
            trained[size] = model_steps.models_dir(here)
        if not regular:
            continue
        source = size if size in trained else _model_source(trained, sizes)
        if source is None:
            log(f"[{size:,}] {SCORE}: skipped, no trained model in this run (sizes ≤ {TRAIN_MAX_LICENCES:,} train)")
            continue
        rows.append(_score(here, size, trained[source], source, log))
    return rows


def _model_source(trained: dict[int, Path], sizes: Sequence[int]) -> int | None:
    listed = [size for size in trained if size in sizes]
    if listed:
        return max(listed)
    return max(trained) if trained else None


def _prepare_and_load(here: Path, size: int, seed: int, log: Callable[[str], None], report: bool) -> list[Row]:
    tag = f"[{size:,}]"
    log(f"{tag} preparing a county with its history in {here} (generated once, reused)")
    meta = in_fresh_process(model_steps.prepare, str(here), size, seed)
    record = model_steps.loaded(str(here))
    cached = record is not None
    if record is None:
        in_fresh_process(steps.fresh_store, str(here))
        loads: dict[str, steps.Timed] = {}
        for mapping, file_name in LOADS:
            warm(here / file_name)
            log(f"{tag} loading {file_name} into the store (once, reused)")
            loads[file_name] = in_fresh_process(steps.load, str(here), mapping, file_name)
            log(f"{tag} {file_name}: {loads[file_name].seconds:.2f} s, peak {loads[file_name].peak_mb:.0f} MB")
        model_steps.record_loads(str(here), loads)
        record = model_steps.loaded(str(here))
        assert record is not None
    else:
        log(f"{tag} store already loaded at {record.get('loaded_at')}: reusing it and its load figures")
    if not report:
        return []
    events = record["events.csv"]
    timed = steps.Timed(events["seconds"], events["peak_mb"], events["rows"], dict(events["counts"]))
    if cached:
        timed.counts["cached_from"] = record.get("loaded_at")
    warm(here / "events.csv")
    log(f"{tag} {LOAD_EVENTS}: floor")
    floor = in_fresh_process(steps.csv_floor, str(here), "county_events", "events.csv", meta["encodings"]["events.csv"])
    log(f"{tag} {LOAD_EVENTS}: {timed.seconds:.2f} s{' (cached)' if cached else ''}, floor {floor.seconds:.3f} s")
    return [measured_row(size, LOAD_EVENTS, timed, CSV_FLOOR, floor)]


def _train(here: Path, size: int, log: Callable[[str], None]) -> Row:
    log(f"[{size:,}] {TRAIN}: measuring")
    warm(steps.db_path(here))
    timed = in_fresh_process(model_steps.train, str(here))
    log(f"[{size:,}] {TRAIN}: {timed.seconds:.2f} s on {timed.rows:,} renewals, peak {timed.peak_mb:.0f} MB")
    return measured_row(size, TRAIN, timed)


def _score(here: Path, size: int, models: Path, source: int, log: Callable[[str], None]) -> Row:
    tag = f"[{size:,}]"
    warm(steps.db_path(here))
    log(f"{tag} {SCORE}: floor")
    floor = in_fresh_process(model_steps.score_floor, str(here))
    log(f"{tag} {SCORE}: floor {floor.seconds:.3f} s; measuring with the model of the {source:,} county")
    timed = in_fresh_process(model_steps.score_all, str(here), str(models))
    timed.counts["model_from"] = source
    log(
        f"{tag} {SCORE}: {timed.seconds:.2f} s (read {timed.counts['read_seconds']:.2f} s, features + score "
        f"{timed.counts['score_seconds']:.2f} s), peak {timed.peak_mb:.0f} MB"
    )
    return measured_row(size, SCORE, timed, SCORE_FLOOR, floor)
