"""The sandbox platform as a separate process, the way the demo runs it: its own interpreter, so the bots in the
demo's process do not share a GIL with the web server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ground.http_serving import module_process

READY = "platform listening on "  # the line the platform prints once it accepts requests


@contextmanager
def platform_process(db_path: Path, *flags: str, timeout: float = 30) -> Iterator[str]:
    """Start `python -m sandbox.platform` on a free loopback port; yield its base URL; stop it on exit."""
    args = ["--host", "127.0.0.1", "--port", "0", "--db", str(db_path), *flags]
    with module_process("sandbox.platform", args, READY, timeout) as url:
        yield url
