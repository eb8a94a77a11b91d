"""CPU seconds of a measured run: the measuring process's own, and the whole machine's from /proc/stat.

The browsers' share is the machine's less what the measuring process and any server it names used. Counting the
browsers' processes as reaped children misses most of it: Chromium forks its renderers and its GPU process from a
zygote, and their time never reaches the process that launched the browser (on the bots suite, reaped children
showed a third of what the machine used). Nothing else of ours runs during a measurement; the machine's idle
services (PostgreSQL, RabbitMQ, ...) add a little to the browsers' share.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Usage:
    """Filled in when the block ends: CPU seconds of this process, of the named servers, of the whole machine."""

    own: float = 0.0
    servers: dict[str, float] = field(default_factory=dict)
    machine: float = 0.0

    @property
    def others(self) -> float:
        """The machine's CPU seconds less this process's and the servers': the browsers'."""
        return max(0.0, self.machine - self.own - sum(self.servers.values()))


def machine_busy() -> float:
    """CPU seconds every core has spent busy since boot (user, nice, system, irq, softirq; guests are in user)."""
    user, nice, system, _idle, _iowait, irq, softirq = Path("/proc/stat").read_text().split()[1:8]
    return sum(int(ticks) for ticks in (user, nice, system, irq, softirq)) / TICKS


def own_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def proc_stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat's fields after the command name (field 3 onwards), or None if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def process_seconds(pid: int | None) -> float:
    """A running process's CPU seconds so far (0 if there is none)."""
    fields = proc_stat(pid) if pid is not None else None
    return (int(fields[11]) + int(fields[12])) / TICKS if fields else 0.0  # utime, stime


@contextmanager
def measured_cpu(servers: dict[str, int | None] | None = None) -> Iterator[Usage]:
    """CPU seconds used during the block, by this process, by each server (name → pid), by the machine."""
    servers = servers or {}
    usage = Usage()
    own, machine = own_seconds(), machine_busy()
    before = {name: process_seconds(pid) for name, pid in servers.items()}
    yield usage
    usage.machine = machine_busy() - machine
    usage.own = own_seconds() - own
    usage.servers = {name: process_seconds(pid) - before[name] for name, pid in servers.items()}
