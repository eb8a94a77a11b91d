"""Suite `outcome`: the simulated year (`proactive simulate`) of a county of each size, each in a process of its own:
its wall time, the CPU its process tree used, its peak memory, the year's figures and the targets met or missed,
against the target of a 10,000-licence year in under 15 minutes on these machines (browsers included)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.cpu import measured_cpu

TARGET_SECONDS = 15 * 60  # for a year of 10,000 licences
TARGET_LICENCES = 10_000
START = "2027-01-04"


@dataclass
class OutcomeRow:
    licences: int
    days: int
    seconds: float
    cpu_seconds: float
    machine_cpu_seconds: float  # the whole machine's busy time during the run: the browsers included
    peak_mb: float
    exit_code: int
    summary: dict[str, Any] = field(default_factory=dict)  # Any: the run's summary.json

    @property
    def targets_met(self) -> str:
        targets = self.summary.get("targets", [])
        return f"{sum(t['met'] for t in targets)} / {len(targets)}"


def run_outcome_suite(
    data_dir: Path, sizes: list[int], days: int, seed: int, log: Callable[[str], None]
) -> list[OutcomeRow]:
    rows = []
    for licences in sizes:
        output = data_dir / "outcome" / f"{licences}-{days}-{seed}"
        log(f"simulating {days} days of a {licences}-licence county in {output}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        command = [sys.executable, "-m", "agent.cli", "simulate", "--start", START, "--days", str(days)]
        command += ["--licences", str(licences), "--seed", str(seed), "--output", str(output)]
        with measured_cpu() as usage:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        summary_file = output / "summary.json"
        summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else {}
        if not summary:
            log(f"the run left no summary (exit {done.returncode}):\n{done.stderr[-2000:]}")
        (output / "simulate.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        peak_mb = after.ru_maxrss / 1024
        rows.append(OutcomeRow(licences, days, seconds, cpu, usage.machine, peak_mb, done.returncode, summary))
    return rows
