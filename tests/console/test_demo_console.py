"""The demo leaves the console running in a process of its own, with a read-only sign-in it prints, and a second
demo finds it rather than starting another."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rich.console import Console
from sqlalchemy import Engine

from agent.demo_console import DEMO_PASSWORD, DEMO_USER, leave_console_running
from agent.runtime import Runtime
from ground.http_serving import bind
from ground.settings import Settings


@pytest.fixture
def runtime(sqlite_store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    url = sqlite_store.url.render_as_string(hide_password=False)
    monkeypatch.setenv("PROACTIVE_DATABASE_URL", url)  # the console's own process reads the same settings
    monkeypatch.setenv("PROACTIVE_VAR_DIR", str(tmp_path))
    rt = Runtime(Settings(database_url=url, var_dir=tmp_path, console={"port": port}))
    yield rt
    pid_file = tmp_path / "console.pid"
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), signal.SIGTERM)


def test_the_demo_leaves_a_console_a_reader_can_sign_in_to_and_reuses_it(runtime: Runtime) -> None:
    printed = Console(record=True, width=200)
    leave_console_running(runtime, printed)
    url = re.search(r"http://127\.0\.0\.1:\d+", printed.export_text())
    assert url is not None, printed.export_text()
    with httpx.Client(base_url=url.group(0)) as client:
        form = client.get("/signin")
        assert "演示环境" in form.text  # the stand-ins are named on every page
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None
        signed = client.post("/signin", data={"username": DEMO_USER, "password": DEMO_PASSWORD, "csrf": token[1]})
        assert signed.status_code == 303 and client.get("/").status_code == 200
    pid = (runtime.settings.var_dir / "console.pid").read_text()
    again = Console(record=True, width=200)
    leave_console_running(runtime, again)
    assert url.group(0) in again.export_text()
    assert (runtime.settings.var_dir / "console.pid").read_text() == pid
