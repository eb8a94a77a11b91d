"""What runs inside each fresh child process: one measured step or one floor, timed, with its RSS high-water mark.

Every function here is called in a process of its own (multiprocessing spawn), so `ru_maxrss` is the peak of that
step alone. Imports happen before the clock starts; setup that is not the step (opening the store, reading the
mapping) is untimed as well.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

SCAN_AS_OF = date(2026, 11, 25)
SCAN_COLUMNS = ("licence_no", "licence_type", "expires_on", "status", "subject_key")
READY = "ready.json"
FLOOR_REPEATS = 3


@dataclass
class Timed:
    """One measurement: seconds of the step, peak RSS of its process, rows it went through, and its counts."""

    seconds: float
    peak_mb: float
    rows: int
    counts: dict[str, Any] = field(default_factory=dict)


def peak_mb() -> float:
    """The process's RSS high-water mark in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def db_path(data_dir: Path) -> Path:
    return data_dir / "bench.db"


def store_url(data_dir: Path) -> str:
    return f"sqlite:///{db_path(data_dir)}"


def prepare(data_dir: str, size: int, seed: int) -> dict[str, Any]:
    """Generate the county once for this size (reused when `ready.json` is there); drop events.csv."""
    meta, _ = generate_cached(Path(data_dir), size, seed, ("subjects.csv", "licences.csv"))
    return meta


def generate_cached(
    out: Path, size: int, seed: int, files: tuple[str, ...], as_of: date = SCAN_AS_OF
) -> tuple[dict[str, Any], bool]:
    """A generated county with these files, made once per size and seed; whether it was made just now."""
    from domain.registries.connectors import detect_encoding
    from sandbox.registry import generate_county

    ready = out / READY
    if ready.exists():
        meta: dict[str, Any] = json.loads(ready.read_text(encoding="utf-8"))
        if meta.get("licences") == size and meta.get("seed") == seed and all((out / f).exists() for f in files):
            return meta, False
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary = generate_county(out, licences=size, seed=seed, as_of=as_of)
    seconds = time.perf_counter() - started
    for extra in {"subjects.csv", "licences.csv", "events.csv"} - set(files):
        (out / extra).unlink(missing_ok=True)
    encodings = {name: detect_encoding(out / name) for name in files}
    meta = {
        "licences": size,
        "seed": seed,
        "generate_seconds": round(seconds, 2),
        "encodings": encodings,
        "bytes": {name: (out / name).stat().st_size for name in files},
        "summary": repr(summary)[:2000],
    }
    ready.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return meta, True


def fresh_store(data_dir: str) -> None:
    """Delete the benchmark database so the next load starts from an empty, migrated store."""
    path = db_path(Path(data_dir))
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def load(data_dir: str, mapping_name: str, file_name: str) -> Timed:
    """The loader on one export: read + validate + write to the store (one transaction)."""
    from domain.licence_types import load_licence_types
    from domain.registries.load import load_export
    from domain.registries.mapping import load_mapping
    from ground.store import open_store

    out = Path(data_dir)
    engine = open_store(store_url(out))
    mapping = load_mapping(mapping_name)
    types = load_licence_types()
    started = time.perf_counter()
    report = load_export(engine, mapping, types, now=datetime.now(UTC), path=out / file_name)
    seconds = time.perf_counter() - started
    engine.dispose()
    return Timed(seconds, peak_mb(), report.rows_read, report.as_counts())


def csv_floor(data_dir: str, mapping_name: str, file_name: str, encoding: str) -> Timed:
    """The floor of a load: pyarrow alone reading the same columns of the same file as text (best of a few)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from domain.registries.mapping import load_mapping

    columns = list(dict.fromkeys(load_mapping(mapping_name).source_columns))
    path = Path(data_dir) / file_name
    best, rows = float("inf"), 0
    for _ in range(FLOOR_REPEATS):
        started = time.perf_counter()
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=encoding),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types=dict.fromkeys(columns, pa.string())
            ),
        )
        best = min(best, time.perf_counter() - started)
        rows = table.num_rows
        del table
    return Timed(best, peak_mb(), rows, {"columns": len(columns)})


def scan(data_dir: str) -> Timed:
    """The expiry scan over what is stored."""
    from domain.licence_types import load_licence_types
    from domain.scan.run import run_scan
    from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
    from ground.store import open_store

    engine = open_store(store_url(Path(data_dir)))
    types = load_licence_types()
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    started = time.perf_counter()
    report = run_scan(engine, types, calendar, as_of=SCAN_AS_OF, now=datetime.now(UTC))
    seconds = time.perf_counter() - started
    engine.dispose()
    return Timed(seconds, peak_mb(), report.licences, report.as_counts())


def sql_floor(data_dir: str) -> Timed:
    """The floor of a scan: sqlite3 alone selecting the scan's licence columns into a pyarrow table (best of a few)."""
    import pyarrow as pa

    query = f"SELECT {', '.join(SCAN_COLUMNS)} FROM licences"
    best, rows = float("inf"), 0
    with sqlite3.connect(db_path(Path(data_dir))) as connection:
        for _ in range(FLOOR_REPEATS):
            started = time.perf_counter()
            fetched = connection.execute(query).fetchall()
            columns = list(zip(*fetched, strict=True)) or [() for _ in SCAN_COLUMNS]
            table = pa.table({name: list(column) for name, column in zip(SCAN_COLUMNS, columns, strict=True)})
            best = min(best, time.perf_counter() - started)
            rows = table.num_rows
            del fetched, columns, table
    connection.close()
    return Timed(best, peak_mb(), rows)
