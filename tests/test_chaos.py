"""The chaos suite's small version: one SIGKILL of a whole service day per kind of fault (kills only, platform
faults, gateway faults, a broken export), then clean days until nothing changes; every count a bureau cares about
is 0. Bounded by counts, not by the clock (benchmarks/chaos_runner.py). `make chaos` runs the full 100 kills."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.chaos_checks import COLUMNS
from benchmarks.chaos_runner import run_chaos_suite
from benchmarks.chaos_world import KINDS

KILLS = len(KINDS)  # one per kind
SEED = 20

# Known defects of issue 20, each fixed on another branch: the test says so until the fix lands (strict: it fails
# the day the count becomes 0, so the mark is removed with the fix).
KNOWN: dict[tuple[str, str], str] = {}


def cases() -> list[Any]:
    params = []
    for kind in KINDS:
        for column in COLUMNS:
            reason = KNOWN.get((kind.name, column))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(kind.name, column, marks=marks, id=f"{kind.name}-{column}".replace(" ", "_")))
    return params


@pytest.fixture(scope="session")
def chaos_counts(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict[str, dict[str, int]]:
    """The suite runs once per test session, whichever worker asks first; the others read its result."""
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    result = shared / "chaos-counts.json"
    with (shared / "chaos.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            runs = run_chaos_suite(Path(shared / "chaos"), KILLS, SEED, lambda _text: None)
            result.write_text(json.dumps({run.kind: run.counts.as_dict() for run in runs}), encoding="utf-8")
    counts: dict[str, dict[str, int]] = json.loads(result.read_text(encoding="utf-8"))
    return counts


@pytest.mark.parametrize(("kind", "column"), cases())
def test_nothing_twice_nothing_lost(chaos_counts: dict[str, dict[str, Any]], kind: str, column: str) -> None:
    assert chaos_counts[kind][column] == 0, chaos_counts[kind]
