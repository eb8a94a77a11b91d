"""Starting the platform: the command line prints its URL once ready; serving() runs it in a thread."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from sandbox.platform.__main__ import parse
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.conftest import patient

READY = "platform listening on http://127.0.0.1:"


def test_the_command_line_prints_the_chosen_port_once_ready(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "sandbox.platform", "--port", "0", "--db", str(tmp_path / "p.db")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith(READY) and int(line.rsplit(":", 1)[1]) > 0
        assert httpx.get(line.split(" on ")[1] + "/healthz").json() == {"status": "ok"}
    finally:
        os.kill(process.pid, signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal, as a well-behaved service does
        assert process.wait(timeout=patient(10)) in {0, -signal.SIGTERM}


def test_the_command_line_options_become_settings(tmp_path: Path) -> None:
    argv = ["--db", str(tmp_path / "p.db"), "--layout", "alternate", "--error-rate", "0.2", "--slow-ms", "50"]
    argv += ["--session-ttl", "60", "--expire-every", "5", "--seed", "9", "--admin", "--approver", "li:secret"]
    args, settings = parse(argv)
    assert (args.host, args.port) == ("127.0.0.1", 8765)
    assert (settings.layout, settings.error_rate, settings.slow_ms, settings.session_ttl) == ("alternate", 0.2, 50, 60)
    assert (settings.expire_every, settings.seed, settings.admin) == (5, 9, True)
    assert (settings.approver_username, settings.approver_password) == ("li", "secret")


def test_serving_runs_in_a_thread_and_stops(tmp_path: Path) -> None:
    with serving(PlatformSettings(db_path=tmp_path / "p.db")) as url:
        assert httpx.get(f"{url}/healthz").status_code == 200
    try:
        httpx.get(f"{url}/healthz", timeout=1)
        raise AssertionError("still serving")
    except httpx.ConnectError:
        pass
