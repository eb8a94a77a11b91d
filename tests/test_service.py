"""`proactive serve` as an operator runs it: a real process, a real scheduler, SIGTERM, a second instance."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, make_url, select, text

from ground.store import open_store
from ground.store.tables import job_runs
from tests.conftest import patient

PROACTIVE = str(Path(sys.executable).parent / "proactive")


def start(url: str, tmp_path: Path, more: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = (
        os.environ
        | {
            "PROACTIVE_DATABASE_URL": url,
            "PROACTIVE_SCHEDULE__RUN_ON_START": "true",
            "PROACTIVE_VAR_DIR": str(tmp_path),
        }
        | (more or {})
    )
    return subprocess.Popen(
        [PROACTIVE, "serve"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def wait_for_run(store: Engine) -> list[tuple[str, str]]:
    deadline = time.monotonic() + patient(60)
    while time.monotonic() < deadline:
        with store.connect() as connection:
            runs = [(r.job_id, r.status) for r in connection.execute(select(job_runs))]
        if runs and all(status != "running" for _, status in runs):
            return runs
        time.sleep(0.5)
    raise AssertionError("the service recorded no finished job run in time")


def test_the_service_runs_its_job_refuses_a_second_instance_and_stops_on_sigterm(
    sqlite_store: Engine, tmp_path: Path
) -> None:
    """On SQLite, one machine: a second service refuses to start."""
    url = sqlite_store.url.render_as_string(hide_password=False)
    first = start(url, tmp_path)
    try:
        assert wait_for_run(sqlite_store) == [("registry-refresh", "ok")]

        second = start(url, tmp_path)
        output, _ = second.communicate(timeout=patient(60))
        assert second.returncode == 1
        assert "refusing to start a second scheduler" in " ".join(output.split())

        first.send_signal(signal.SIGTERM)
        output, _ = first.communicate(timeout=patient(60))
        assert first.returncode == 0, output
        assert "stopped cleanly" in output and "Traceback" not in output, output
    finally:
        if first.poll() is None:
            first.kill()
    assert Path(f"{make_url(url).database}.serve.lock").exists()


@pytest.mark.postgres
def test_on_postgresql_a_second_service_stands_by_and_takes_over_when_the_first_is_killed(
    postgres_url: str, tmp_path: Path
) -> None:
    """Two machines on one database: the second waits; `kill -9` of the first, and the second schedules the jobs
    (its start-up refresh runs). A run cut short by the kill is closed as interrupted: tests/store/test_standby.py."""
    store = open_store(postgres_url)
    with store.begin() as connection:
        connection.execute(text("TRUNCATE job_runs RESTART IDENTITY"))
        connection.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))
    beat = {"PROACTIVE_SCHEDULE__STANDBY_SECONDS": "0.5"}
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = start(postgres_url, tmp_path / "one", beat)
    second: subprocess.Popen[str] | None = None
    try:
        assert wait_for_run(store) == [("registry-refresh", "ok")]
        second = start(postgres_url, tmp_path / "two", beat)
        assert _line_with(second, "standby: another scheduler holds the lock")
        first.kill()  # SIGKILL: no goodbye, the database ends its session
        first.wait(patient(60))
        assert _line_with(second, "holding the scheduler lock")
        runs = wait_for_runs(store, 2)
        assert [status for _, status in runs] == ["ok", "ok"]
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=patient(60))
        assert second.returncode == 0 and "stopped cleanly" in output, output
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
        store.dispose()


def _line_with(process: subprocess.Popen[str], words: str) -> bool:
    """Read the process's output until a line says `words` (False if it ends first)."""
    assert process.stdout is not None
    return any(words in line for line in process.stdout)


def wait_for_runs(store: Engine, count: int) -> list[tuple[str, str]]:
    deadline = time.monotonic() + patient(60)
    while time.monotonic() < deadline:
        runs = wait_for_run(store)
        if len(runs) >= count:
            return runs
        time.sleep(0.5)
    raise AssertionError(f"fewer than {count} finished job runs in time")


def test_status_reads_the_running_services_plan_from_its_job_store(sqlite_store: Engine, tmp_path: Path) -> None:
    url = sqlite_store.url.render_as_string(hide_password=False)
    service = start(url, tmp_path)
    try:
        wait_for_run(sqlite_store)
        env = os.environ | {"PROACTIVE_DATABASE_URL": url, "PROACTIVE_VAR_DIR": str(tmp_path)}
        status = [PROACTIVE, "status", "--format", "json"]
        shown = subprocess.run(status, env=env, capture_output=True, text=True, check=False)
    finally:
        service.send_signal(signal.SIGTERM)
        service.communicate(timeout=patient(60))
    jobs = {job["job"]: job for job in json.loads(shown.stdout)["jobs"]}
    assert {job["next_run_from"] for job in jobs.values()} == {"job store"}
    assert all(datetime.fromisoformat(job["next_run"]) > datetime.now(UTC) for job in jobs.values())
    assert jobs["registry-refresh"]["last_run"]["status"] == "ok" and jobs["registry-refresh"]["problems"] == []
    assert shown.returncode == 0 and jobs["notify-dispatch"]["last_run"] is None  # waiting for its first run


def test_the_service_answers_a_monitor_on_its_ops_port(sqlite_store: Engine, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a free port for the service to take
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = sqlite_store.url.render_as_string(hide_password=False)
    service = start(url, tmp_path, {"PROACTIVE_OPS__PORT": str(port)})
    try:
        wait_for_run(sqlite_store)
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=patient(10))
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=patient(10))
    finally:
        service.send_signal(signal.SIGTERM)
        service.communicate(timeout=patient(60))
    # the refresh ran on start; the others wait for their first planned run, within their grace
    assert health.status_code == 200, health.text
    assert health.json()["jobs"]["registry-refresh"] == []
    assert 'proactive_job_runs_total{job="registry-refresh",outcome="ok"} 1.0' in metrics.text
