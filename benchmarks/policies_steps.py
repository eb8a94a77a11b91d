"""The policies suite's child-process work: a county's subjects in a store, then each measured step.

Like `benchmarks.steps`, every function here runs in a spawned process of its own, so `ru_maxrss` is that step's
peak alone. Opening the store and loading the policy files happen before the clock starts; so does reading the
population for the matching rows (its own row measures it).
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from benchmarks.steps import SCAN_AS_OF, Timed, db_path, fresh_store, generate_cached, load, peak_mb, store_url
from domain.policies.model import Policy

AS_OF: date = SCAN_AS_OF  # the generated county's "today": certificates and last year's figures lead up to it
SUBJECTS_PER_LICENCE = 0.82  # the generator's county: about this many subjects per licence
LOADED = "subjects-loaded.json"
RUN_DB = "matching.db"
SAMPLE_SUBJECTS = 2_000


def licences_for(subjects: int) -> int:
    """The generator's size (licences) for a county of about `subjects` subjects."""
    return max(1, round(subjects / SUBJECTS_PER_LICENCE))


def prepare(data_dir: str, subjects: int, seed: int) -> dict[str, Any]:
    """Generate the county once and load its subjects into the store once (both reused while they match)."""
    out = Path(data_dir)
    meta, fresh = generate_cached(out, licences_for(subjects), seed, ("subjects.csv",), as_of=AS_OF)
    marker = out / LOADED
    if fresh or not marker.exists() or not db_path(out).exists():
        fresh_store(data_dir)
        timed = load(data_dir, "county_subjects", "subjects.csv")
        marker.write_text(json.dumps({"seconds": timed.seconds, "counts": timed.counts}), encoding="utf-8")
    return meta | {"load": json.loads(marker.read_text(encoding="utf-8"))}


def _policies(folder: str) -> list[Policy]:
    from domain.policies.loading import load_policies

    return list(load_policies(Path(folder)).policies.values())


def _engine(data_dir: str, database: Path | None = None) -> Engine:
    from ground.store import open_store

    return open_store(store_url(Path(data_dir)) if database is None else f"sqlite:///{database}")


def read(data_dir: str) -> Timed:
    """`read_population`: every subject with the attributes policies test, from SQLite into arrays."""
    from domain.policies.run import read_population

    engine = _engine(data_dir)
    with engine.connect() as connection:
        started = time.perf_counter()
        population = read_population(connection)
        seconds = time.perf_counter() - started
    engine.dispose()
    return Timed(seconds, peak_mb(), len(population), {"subjects": len(population)})


def _population(data_dir: str) -> Any:
    from domain.policies.run import read_population

    engine = _engine(data_dir)
    with engine.connect() as connection:
        population = read_population(connection)
    engine.dispose()
    return population


def evaluate_all(data_dir: str, policy_dir: str) -> Timed:
    """The vectorised evaluation of every policy, before exclusions: the like-for-like of the per-row baseline."""
    from domain.policies.evaluate import evaluate

    population, policies = _population(data_dir), _policies(policy_dir)
    started = time.perf_counter()
    outcomes = [evaluate(policy, population, AS_OF) for policy in policies]
    seconds = time.perf_counter() - started
    counts = {
        "subjects": len(population),
        "policies": len(outcomes),
        "cases": sum(len(o.rows) for o in outcomes),
        "amount_yuan": sum(int(o.amounts.sum()) for o in outcomes),
    }
    return Timed(seconds, peak_mb(), len(population) * len(outcomes), counts)


def match_all(data_dir: str, policy_dir: str) -> Timed:
    """`match`: every policy over every subject, then the exclusions between them (no earlier cases)."""
    from domain.policies.match import match

    population, policies = _population(data_dir), _policies(policy_dir)
    started = time.perf_counter()
    matches = match(policies, population, AS_OF)
    seconds = time.perf_counter() - started
    counts = {
        "subjects": len(population),
        "policies": len(matches.outcomes),
        "cases": len(matches.granted),
        "amount_yuan": int(matches.granted["amount_yuan"].sum()),
        "excluded": len(matches.excluded),
        "skipped": len(matches.skipped),
    }
    return Timed(seconds, peak_mb(), len(population) * len(matches.outcomes), counts)


def rowwise_sample(data_dir: str, policy_dir: str, sample: int = SAMPLE_SUBJECTS) -> Timed:
    """The per-row Python evaluator on `sample` subjects (spread over the store by id) × every policy. The
    figures are the sample's; the runner extrapolates its rate to the whole county."""
    from benchmarks.policy_rowwise import evaluate_row, read_subject_records
    from domain.policies.resolution import resolve
    from ground.store.tables import subjects

    engine = _engine(data_dir)
    with engine.connect() as connection:
        total = int(connection.execute(select(func.count()).select_from(subjects)).scalar_one())
        records = read_subject_records(connection, every=max(1, total // sample), limit=sample)
    engine.dispose()
    policies = _policies(policy_dir)
    started = time.perf_counter()
    resolutions = [resolve(policy, AS_OF) for policy in policies]
    results = [evaluate_row(resolution, record) for resolution in resolutions for record in records]
    seconds = time.perf_counter() - started
    paid = [result.amount for result in results if result.amount > 0]
    counts = {
        "subjects": total,
        "sample_subjects": len(records),
        "policies": len(resolutions),
        "sample_cases": len(paid),
        "sample_amount_yuan": sum(paid),
    }
    return Timed(seconds, peak_mb(), len(results), counts)


def empty_matching_store(data_dir: str) -> None:
    """A copy of the loaded store, with its subjects and no subsidy case yet, for the end-to-end rows."""
    drop_matching_store(data_dir)
    shutil.copyfile(db_path(Path(data_dir)), Path(data_dir) / RUN_DB)


def drop_matching_store(data_dir: str) -> None:
    """The end-to-end rows' store, gone: with every case's trace it is gigabytes at a million subjects."""
    target = Path(data_dir) / RUN_DB
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def run_end_to_end(data_dir: str, policy_dir: str) -> Timed:
    """`run_matching`: read the population and the standing cases, match, write new cases with their traces and
    ledger entries, withdraw lost ones — one transaction."""
    from domain.policies.run import run_matching

    engine = _engine(data_dir, Path(data_dir) / RUN_DB)
    policies = _policies(policy_dir)
    started = time.perf_counter()
    report = run_matching(engine, policies, AS_OF, datetime.now(UTC), allow_placeholders=True)
    seconds = time.perf_counter() - started
    engine.dispose()
    counts = report.as_counts()
    counts["cases"] = report.created + report.unchanged
    counts.pop("skipped")
    return Timed(seconds, peak_mb(), report.subjects * counts["policies"], counts)
