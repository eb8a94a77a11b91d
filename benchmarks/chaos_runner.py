"""The chaos suite's sequence: for each kind of fault, a fresh store and fresh outside systems; cycles (one day of
the service each, in a process of its own) killed with SIGKILL after a seeded random delay, then clean cycles with
the faults off until nothing changes, then the counts.

Nothing here waits on the machine's speed: the kill delays are drawn within a first day's usual length (FIRST_DAY_S,
so that the busiest day — filing, invitations, replies — is killed too) and then within the last day that ended
whole; every loop has a count, and a cycle's own time limit is
`CYCLE_LIMIT_S` times `PROACTIVE_CHAOS_TIMEOUT_SCALE` (a slow machine raises it; nothing is judged on it).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from benchmarks import chaos_callbacks, chaos_checks
from benchmarks.chaos_world import (
    KINDS,
    NO_GATEWAY_FAULTS,
    NO_PLATFORM_FAULTS,
    Kind,
    Services,
    cycle_faults,
    prepare_county,
    services,
    today,
    train_once,
)

DEFAULT_KILLS = 100  # across the kinds, shared evenly
COUNTY_SIZE = 1_500  # enough licences for a few dozen seamless renewals a day
CYCLE_LIMIT_S = 600.0
SETTLE_CYCLES = 6  # clean cycles at most, after the kills, until two in a row change nothing
MAX_TRIES_PER_KILL = 4  # days started per kill at most: a day that ended first is not retried for ever
BROKEN_CYCLES = 2  # cycles that read the licences export cut mid-row
FIRST_DAY_S = 90.0  # a first day's usual length on these machines: where the first kills fall (no check uses it)


@dataclass
class KindResult:
    kind: str
    kills: int
    cycles: int
    seconds: float
    counts: chaos_checks.Counts
    broken_rows_lost: int = 0  # rows lost while the export was broken (the complete rows before the cut)


def timeout_scale() -> float:
    return float(os.environ.get("PROACTIVE_CHAOS_TIMEOUT_SCALE", "1"))


def run_cycle(world: Services, log_file: Path, kill_after: float | None) -> bool:
    """One cycle; SIGKILLed after `kill_after` seconds when given. True when it was killed."""
    command = [sys.executable, "-m", "benchmarks.chaos_cycle", str(world.settings_file)]
    with log_file.open("a", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=log, stderr=log)
        limit = CYCLE_LIMIT_S * timeout_scale()
        try:
            process.wait(timeout=kill_after if kill_after is not None else limit)
            return False
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            if kill_after is None:
                raise RuntimeError(f"a clean cycle ran over {limit:.0f} s: see {log_file}") from None
            return True


def run_kind(
    kind: Kind, root: Path, county: Path, models: Path, kills: int, rng: random.Random, log: Callable[[str], None]
) -> KindResult:
    started = time.perf_counter()
    folder = root / kind.name.replace(" ", "-")
    cycle_log = folder.with_suffix(".log")
    cycle_log.unlink(missing_ok=True)
    with services(folder, models, county) as world:
        engine = open_engine(world)
        export = folder / "exports" / "licences.csv"
        broken_lost = 0
        if kind.broken_source:
            break_export(county / "licences.csv", export)
            for _ in range(BROKEN_CYCLES):
                run_cycle(world, cycle_log, None)
            broken_lost = len(chaos_checks.rows_lost(engine, export))
            shutil.copyfile(county / "licences.csv", export)  # the registry's writer finishes the file
        cycles = BROKEN_CYCLES if kind.broken_source else 0
        # The first, busiest day is killed too: until a day ends whole on this machine, kills fall within a first
        # day's usual length; after, within the last whole day's.
        span = FIRST_DAY_S * timeout_scale()
        killed = 0
        for _attempt in range(kills * MAX_TRIES_PER_KILL):  # a day that ends before its kill measures the next
            if killed == kills:
                break
            world.set_faults(*cycle_faults(kind, cycles))
            began = time.perf_counter()
            was_killed = run_cycle(world, cycle_log, rng.uniform(0.05, 1.0) * span)
            killed += was_killed
            span = span if was_killed else time.perf_counter() - began
            cycles += 1
            if kind.callbacks:
                chaos_callbacks.replay(world, engine, rng)
            log(f"chaos, {kind.name}: {killed}/{kills} kills, {cycles} cycles")
        world.set_faults(NO_PLATFORM_FAULTS if kind.platform else {}, NO_GATEWAY_FAULTS if kind.gateway else {})
        cycles += settle(world, engine, cycle_log)
        if kind.callbacks:
            chaos_callbacks.replay(world, engine, rng)
        counts = chaos_checks.count_all(engine, world.platform_url, folder / "sms-gateway.db", export, today().date())
        counts.values["rows lost"] += broken_lost
        engine.dispose()
    return KindResult(kind.name, killed, cycles, time.perf_counter() - started, counts, broken_lost)


def settle(world: Services, engine: Engine, cycle_log: Path) -> int:
    """Clean cycles until two in a row change nothing (at most SETTLE_CYCLES); how many ran."""
    before = chaos_checks.progress(engine)
    calm = 0
    for done in range(1, SETTLE_CYCLES + 1):
        run_cycle(world, cycle_log, None)
        after = chaos_checks.progress(engine)
        calm = calm + 1 if after == before else 0
        if calm == 2:
            return done
        before = after
    return SETTLE_CYCLES


def open_engine(world: Services) -> Engine:
    import json

    from ground.store import open_store

    values = json.loads(world.settings_file.read_text(encoding="utf-8"))
    return open_store(values["database_url"])


def break_export(complete: Path, broken: Path) -> None:
    """The export as a writer that died left it: cut in the middle of a row about two thirds through the file."""
    data = complete.read_bytes()
    lines = data.splitlines(keepends=True)
    keep = (len(lines) * 2) // 3
    head = b"".join(lines[:keep])
    broken.write_bytes(head + lines[keep][: max(1, len(lines[keep]) // 3)])


def run_chaos_suite(
    root: Path,
    kills: int,
    seed: int,
    log: Callable[[str], None],
    size: int = COUNTY_SIZE,
    kinds: tuple[Kind, ...] = KINDS,
) -> list[KindResult]:
    """`kills` SIGKILLs shared evenly by the kinds (at least one each)."""
    rng = random.Random(seed)
    county = prepare_county(root, size, seed)
    models = train_once(root, county)
    per_kind = [kills // len(kinds) + (1 if i < kills % len(kinds) else 0) for i in range(len(kinds))]
    results = []
    for kind, count in zip(kinds, per_kind, strict=True):
        log(f"chaos, {kind.name}: {count} kills on a fresh store and fresh outside systems")
        results.append(run_kind(kind, root, county, models, count, rng, log))
    return results
