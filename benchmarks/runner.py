"""The benchmark's sequence per size: generate (untimed), then each step and its floor, each in a fresh process."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from benchmarks import steps

P = ParamSpec("P")
R = TypeVar("R")

LOAD_SUBJECTS = "load subjects"
LOAD_LICENCES = "load licences"
SCAN_FIRST = "scan first (creates cases)"
SCAN_AGAIN = "scan re-run (idempotent)"
CSV_FLOOR = "pyarrow read_csv, same columns"
SQL_FLOOR = "sqlite3 SELECT 5 cols → pyarrow"
NO_FLOOR = "none"


@dataclass
class Row:
    size: int
    step: str
    seconds: float
    peak_mb: float
    rows: int
    floor: str
    floor_seconds: float
    floor_peak_mb: float
    counts: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds if self.floor_seconds > 0 else float("inf")

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")

    def as_json(self) -> dict[str, Any]:
        ratio = self.ratio if self.floor_seconds > 0 else None  # a step without a floor (training): no ratio
        return asdict(self) | {"ratio_to_floor": ratio, "rows_per_second": self.rows_per_second}


def in_fresh_process(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `function` in a newly spawned interpreter of its own, so its RSS high-water mark is its alone."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args, **kwargs).result()


def warm(path: Path) -> None:
    """Read a file once, untimed, so the floor and the step both find it in the page cache."""
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


def bench_size(root: Path, size: int, seed: int, log: Callable[[str], None]) -> list[Row]:
    data_dir = root / str(size)
    log(f"[{size:,}] preparing data in {data_dir} (generated once, reused)")
    meta = in_fresh_process(steps.prepare, str(data_dir), size, seed)
    encodings: dict[str, str] = meta["encodings"]
    here = str(data_dir)
    rows: list[Row] = []

    in_fresh_process(steps.fresh_store, here)
    for step, mapping, file_name in (
        (LOAD_SUBJECTS, "county_subjects", "subjects.csv"),
        (LOAD_LICENCES, "county_licences", "licences.csv"),
    ):
        warm(data_dir / file_name)
        log(f"[{size:,}] {step}: floor")
        floor = in_fresh_process(steps.csv_floor, here, mapping, file_name, encodings[file_name])
        log(f"[{size:,}] {step}: floor {floor.seconds:.3f} s; measuring the step")
        timed = in_fresh_process(steps.load, here, mapping, file_name)
        log(f"[{size:,}] {step}: {timed.seconds:.2f} s, peak {timed.peak_mb:.0f} MB")
        rows.append(measured_row(size, step, timed, CSV_FLOOR, floor))

    warm(steps.db_path(data_dir))
    log(f"[{size:,}] scan: floor")
    floor = in_fresh_process(steps.sql_floor, here)
    for step in (SCAN_FIRST, SCAN_AGAIN):
        log(f"[{size:,}] {step}: measuring")
        timed = in_fresh_process(steps.scan, here)
        log(f"[{size:,}] {step}: {timed.seconds:.2f} s, peak {timed.peak_mb:.0f} MB")
        rows.append(measured_row(size, step, timed, SQL_FLOOR, floor))
    return rows


def measured_row(
    size: int, step: str, timed: steps.Timed, floor_name: str = NO_FLOOR, floor: steps.Timed | None = None
) -> Row:
    """A table row for one measurement, against its floor (or baseline) measured in the same run, if it has one."""
    return Row(
        size=size,
        step=step,
        seconds=timed.seconds,
        peak_mb=timed.peak_mb,
        rows=timed.rows,
        floor=floor_name,
        floor_seconds=0.0 if floor is None else floor.seconds,
        floor_peak_mb=0.0 if floor is None else floor.peak_mb,
        counts=timed.counts,
    )
