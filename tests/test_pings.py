"""Each job tells a dead-man's switch when it starts and how it ended, and a failed or degraded run alerts the
operator's webhook; a monitor that does not answer never fails the job, and its URL (its key) is never logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import Engine, select

from agent.jobs import REFRESH_JOB_ID, recorded_run
from ground.http_serving import serving
from ground.settings import OpsSettings
from ground.store.tables import job_runs


@dataclass
class Monitor:
    url: str
    hits: list[str] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def ops(self, job_id: str = REFRESH_JOB_ID, **changes: Any) -> OpsSettings:
        pings = {"start": f"{self.url}/start", "success": f"{self.url}/success", "fail": f"{self.url}/fail"}
        return OpsSettings(pings={job_id: pings}, alert_webhook_url=f"{self.url}/alert", **changes)


@pytest.fixture
def monitor() -> Iterator[Monitor]:
    app = FastAPI()
    seen = Monitor("")

    @app.get("/{check}")
    def ping(check: str) -> str:
        seen.hits.append(check)
        return "OK"

    @app.post("/alert")
    async def alert(request: Request) -> str:
        seen.alerts.append(await request.json())
        return "OK"

    with serving(app, lifespan="off") as url:
        seen.url = url
        yield seen


def statuses(store: Engine) -> list[str]:
    with store.connect() as connection:
        return list(connection.execute(select(job_runs.c.status)).scalars())


def test_a_good_run_pings_start_then_success_and_alerts_no_one(sqlite_store: Engine, monitor: Monitor) -> None:
    with recorded_run(sqlite_store, REFRESH_JOB_ID, monitor.ops()):
        assert monitor.hits == ["start"]

    assert monitor.hits == ["start", "success"] and monitor.alerts == []


def test_a_degraded_run_pings_fail_and_alerts_the_operator_with_its_warning(
    sqlite_store: Engine, monitor: Monitor
) -> None:
    with recorded_run(sqlite_store, REFRESH_JOB_ID, monitor.ops()) as run:
        run.degrade("cases left unrouted: no trained model yet; 40 cases wait")

    assert monitor.hits == ["start", "fail"]
    [alert] = monitor.alerts
    assert alert["job"] == REFRESH_JOB_ID and alert["status"] == "degraded"
    assert "no trained model yet" in alert["text"]


def test_a_failed_run_alerts_with_its_error(sqlite_store: Engine, monitor: Monitor) -> None:
    with pytest.raises(RuntimeError), recorded_run(sqlite_store, REFRESH_JOB_ID, monitor.ops()):
        raise RuntimeError("registry database refused the query")

    assert monitor.hits == ["start", "fail"]
    assert monitor.alerts[0]["error"] == "RuntimeError: registry database refused the query"


def test_another_jobs_pings_are_its_own(sqlite_store: Engine, monitor: Monitor) -> None:
    with recorded_run(sqlite_store, REFRESH_JOB_ID, monitor.ops(job_id="notify-dispatch")):
        pass

    assert monitor.hits == []


def test_a_monitor_that_does_not_answer_never_fails_the_job_nor_shows_its_key(
    sqlite_store: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    key = "http://127.0.0.1:1/ping/7f3e-secret-check-key"  # nothing listens on port 1
    ops = OpsSettings(pings={REFRESH_JOB_ID: {"start": key, "success": key}}, alert_webhook_url=key)

    with caplog.at_level(logging.DEBUG), recorded_run(sqlite_store, REFRESH_JOB_ID, ops):
        pass

    assert statuses(sqlite_store) == ["ok"]
    assert "start ping not delivered" in caplog.text and "success ping not delivered" in caplog.text
    assert "secret-check-key" not in caplog.text
