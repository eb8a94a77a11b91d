"""The sandbox platform as a separate process, the way the demo runs it: its own interpreter, so the bots in the
demo's process do not share a GIL with the web server."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

READY = "platform listening on "


@contextmanager
def platform_process(db_path: Path, *flags: str, timeout: float = 30) -> Iterator[str]:
    """Start `python -m sandbox.platform` on a free loopback port; yield its base URL; stop it on exit."""
    command = [sys.executable, "-m", "sandbox.platform", "--host", "127.0.0.1", "--port", "0", "--db", str(db_path)]
    process = subprocess.Popen([*command, *flags], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(READY):
            raise RuntimeError(f"the sandbox platform did not start (exit {process.poll()}): {line.strip()!r}")
        yield line.removeprefix(READY).strip()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
