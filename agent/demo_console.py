"""The demo leaves the staff console running over its county, with a read-only account to look around with: the
address and the sign-in are printed at the end. It runs in a process of its own that outlives the demo; its pid
is in <var_dir>/console.pid, so a second demo reuses it rather than starting another."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console

from agent.cli_console import READY
from agent.runtime import Runtime
from domain.access.accounts import account_exists, create_account
from domain.access.roles import Role

DEMO_USER, DEMO_PASSWORD = "demo", "demo-readonly"  # a demo county's read-only sign-in, printed for anyone to use
START_TIMEOUT_S = 180.0  # a loaded machine takes its time to import the service; a dead child ends the wait early


def leave_console_running(rt: Runtime, console: Console) -> None:
    _demo_account(rt)
    folder = rt.settings.var_dir
    url = _running(folder) or _start(rt, folder)
    if url is None:
        console.print(f"[yellow]the console did not start: see {folder / 'console.log'}[/yellow]")
        return
    console.print(f"[bold]Staff console[/bold] {url}  (read-only sign-in: {DEMO_USER} / {DEMO_PASSWORD})")
    console.print(f"It keeps running; stop it with `kill $(cat {folder / 'console.pid'})`.")


def _demo_account(rt: Runtime) -> None:
    with rt.engine.begin() as connection:
        if not account_exists(connection, DEMO_USER):
            create_account(connection, DEMO_USER, "演示只读账号", Role.READER, DEMO_PASSWORD, rt.now())


def _running(folder: Path) -> str | None:
    """The address of a console an earlier demo left running on this folder, if it still answers."""
    pid_file, log = folder / "console.pid", folder / "console.log"
    if not (pid_file.exists() and log.exists()):
        return None
    url = _ready_url(log)
    try:
        os.kill(int(pid_file.read_text()), 0)
        if url is not None and httpx.get(f"{url}/signin", timeout=2).status_code == 200:
            return url
    except (OSError, ValueError, httpx.HTTPError):
        pass
    return None


def _start(rt: Runtime, folder: Path) -> str | None:
    port = rt.settings.console.port or 8080
    log = folder / "console.log"
    command = [sys.executable, "-m", "agent.cli", "console", "--port", str(port)]
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        environment = os.environ | {"PROACTIVE_CONSOLE__STAND_INS": "true"}  # the demo's platform and gateway are
        child = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True, env=environment
        )
    (folder / "console.pid").write_text(str(child.pid))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and child.poll() is None:
        url = _ready_url(log)
        if url is not None:
            return url
        time.sleep(0.2)
    return None


def _ready_url(log: Path) -> str | None:
    line = next((line for line in log.read_text(errors="replace").splitlines() if line.startswith(READY)), None)
    return None if line is None else line.removeprefix(READY).strip()
