"""The classifier suite's child-process work: preparing a county with its history, scoring, training, floors.

Like `benchmarks.steps`, every function here runs in a spawned process of its own, so `ru_maxrss` is that step's
peak alone; imports, opening the store and loading the model happen before the clock starts.
"""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.steps import FLOOR_REPEATS, SCAN_AS_OF, Timed, db_path, generate_cached, peak_mb, store_url
from benchmarks.timing import Parts, timed_parts

AS_OF = SCAN_AS_OF  # the generated county's "today": scoring and history both end there
FILES = ("subjects.csv", "licences.csv", "events.csv")
LOADED = "loaded.json"
MODELS = "models"
TARGET_PRECISION = 0.98
ASSISTED_MIN_SCORE = 0.5
# What `train_and_publish` calls, in order: each is timed apart (the rest, such as the fingerprint, is "other").
TRAIN_PHASES = ("read_history", "training_examples", "train", "save_model", "load_model", "write_reports")


def models_dir(data_dir: Path) -> Path:
    return data_dir / MODELS


def prepare(data_dir: str, size: int, seed: int) -> dict[str, Any]:
    """Generate the county once for this size, history included (reused when `ready.json` matches)."""
    out = Path(data_dir)
    meta, fresh = generate_cached(out, size, seed, FILES, as_of=AS_OF)
    if fresh:
        (out / LOADED).unlink(missing_ok=True)  # new files: whatever was loaded from the old ones is stale
    return meta


def loaded(data_dir: str) -> dict[str, Any] | None:
    """The recorded loads of this county's store (file name → Timed fields), if it was loaded completely."""
    path = Path(data_dir) / LOADED
    if not path.exists() or not db_path(Path(data_dir)).exists():
        return None
    recorded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return recorded if all(name in recorded for name in FILES) else None


def record_loads(data_dir: str, loads: dict[str, Timed]) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    content: dict[str, Any] = {
        name: {"seconds": t.seconds, "peak_mb": t.peak_mb, "rows": t.rows, "counts": t.counts}
        for name, t in loads.items()
    }
    content["loaded_at"] = stamp
    (Path(data_dir) / LOADED).write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")


def score_all(data_dir: str, model_dir: str) -> Timed:
    """Scoring on one day for every licence in the store: read the history it needs, build the features, predict,
    apply the hard rules. The read and the rest are timed apart as well.

    On SQLite the read runs in child processes (`ground.store.arrow_reads`), one per query part, all at once, and
    they are gone before the features are built. The peak counted is the larger of this process's own and, for the
    read, this process after it plus every reader as if each were the largest and all peaked together: an upper
    bound. (The readers are measured right after the read: scikit-learn later runs `lscpu`, whose peak, taken when
    this process is large, the kernel would report as a child's.)"""
    from domain.routing.rules import decide_routes
    from ground.store import open_store
    from models.artifacts import load_current
    from models.config import load_history_words
    from models.scoring import score_frame
    from models.store_io import READ_PARTS, read_scoring_history

    engine = open_store(store_url(Path(data_dir)))
    model = load_current(Path(model_dir))
    if model is None:
        raise RuntimeError(f"no current model in {model_dir}")
    words = load_history_words()
    with engine.connect() as connection:
        started = time.perf_counter()
        history = read_scoring_history(connection, AS_OF, words)
        read_done = time.perf_counter()
        readers_mb, after_read_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rss_mb()
        scored = score_frame(model, history, history.licences["licence_no"], AS_OF)
        decided = decide_routes(scored, model.thresholds)
        finished = time.perf_counter()
    engine.dispose()
    counts = {
        "read_seconds": round(read_done - started, 3),
        "score_seconds": round(finished - read_done, 3),
        "events_read": len(history.events),
        "subjects_read": len(history.subjects),
        "model_version": model.version,
        "by_route": {str(k): int(v) for k, v in decided["route"].value_counts().items()},
        "hard_rules": int(decided["rule"].notna().sum()),
        "own_peak_mb": round(peak_mb()),
        "after_read_mb": round(after_read_mb),
        "readers": READ_PARTS,
        "largest_reader_mb": round(readers_mb),
    }
    return Timed(finished - started, max(peak_mb(), after_read_mb + READ_PARTS * readers_mb), len(scored), counts)


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def score_floor(data_dir: str) -> Timed:
    """The floor of scoring: sqlite3 alone running the very event query scoring runs (`scoring_events_query`,
    compiled to SQLite's SQL), into a pyarrow table (best of a few)."""
    import pyarrow as pa
    from sqlalchemy.dialects import sqlite

    from models.config import load_history_words
    from models.features import shipped_features
    from models.store_io import scoring_events_query

    query = scoring_events_query(AS_OF, load_history_words(), shipped_features())
    names = list(query.selected_columns.keys())
    compiled = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    best, rows = float("inf"), 0
    with sqlite3.connect(db_path(Path(data_dir))) as connection:
        for _ in range(FLOOR_REPEATS):
            started = time.perf_counter()
            fetched = connection.execute(str(compiled)).fetchall()
            columns = list(zip(*fetched, strict=True)) or [() for _ in names]
            table = pa.table({name: list(column) for name, column in zip(names, columns, strict=True)})
            best = min(best, time.perf_counter() - started)
            rows = table.num_rows
            del fetched, columns, table
    connection.close()
    return Timed(best, peak_mb(), rows)


def train(data_dir: str) -> Timed:
    """`train_and_publish` on the whole stored history (no reuse), into a fresh models folder. Its phases are timed
    apart by wrapping the functions it calls, in this process only."""
    from ground.store import open_store
    from models import publish
    from models.config import load_history_words, load_label

    out = Path(data_dir)
    folder = models_dir(out)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    engine = open_store(store_url(out))
    words, label = load_history_words(), load_label()
    phases: dict[str, float] = {}
    with _timing(publish, phases, TRAIN_PHASES):
        started = time.perf_counter()
        result = publish.train_and_publish(
            engine, folder, words, label, TARGET_PRECISION, ASSISTED_MIN_SCORE, datetime.now(UTC), reuse=False
        )
        seconds = time.perf_counter() - started
    engine.dispose()
    meta = result.model.metadata
    split = meta["details"]["split"]
    renewals = sum(int(part["cases"]) for part in split.values())
    counts = {
        "phases": {name: round(value, 3) for name, value in phases.items()},
        "model_version": result.model.version,
        "quality": quality(meta),
    }
    return Timed(seconds, peak_mb(), renewals, counts)


def quality(meta: dict[str, Any]) -> dict[str, Any]:
    """The figures the issue asks for, from the model's own evaluation on the newest split ("test")."""
    test = meta["evaluation"]["test"]
    model, rule = test["model"], test["rule_baseline"]
    seamless = model["routes"]["seamless"]
    split = meta["details"]["split"]
    return {
        "chosen": meta["details"]["chosen"],
        "calibration": meta["details"]["calibration_method"],
        "seamless_threshold": meta["thresholds"]["seamless"],
        "target_precision": meta["thresholds"]["target_precision"],
        "split": {name: int(part["cases"]) for name, part in split.items()},
        "test_from": split["test"]["from"],
        "test_to": split["test"]["to"],
        "test_cases": test["cases"],
        "approved_as_filed": test["approved_as_filed"],
        "roc_auc": model["roc_auc"],
        "brier": model["brier"],
        "seamless_precision": seamless["precision"],
        "seamless_coverage": seamless["coverage"],
        "rule_roc_auc": rule["roc_auc"],
        "rule_precision": rule["seamless"]["precision"],
        "rule_coverage": rule["seamless"]["coverage"],
    }


@contextmanager
def _timing(module: Any, into: dict[str, float], names: tuple[str, ...]) -> Iterator[None]:
    """Each of `module.<name>` adds its seconds to `into[name]` for the duration of the block."""
    with timed_parts(Parts(into), [(module, name, name) for name in names]):
        yield
