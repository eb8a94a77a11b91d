"""`/healthz` and `/metrics`: what a monitor reads of the unattended service, without signing in.

`/healthz` answers 200 while the database answers and every job is healthy as `proactive status` judges it (not
failed, late or stale); else 503 with a JSON body naming each reason. `/metrics` is the Prometheus text format,
from the official client, read from the store at each scrape (so any process serving it tells the same).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection

from agent.runtime import Runtime
from agent.service import scheduled_jobs
from agent.status import JobHealth, read_records, service_health
from ground.cases.reads import case_counts
from ground.http_serving import serving
from ground.outside_work.attempts import attempt_counts
from ground.store.job_runs import run_counts, unreachable
from notifications.reads import outbox_counts

Clock = Callable[[], datetime]


def health(rt: Runtime, now: datetime) -> tuple[bool, dict[str, Any]]:
    """Whether the service is healthy, and the body that says so (or names every reason it is not)."""
    grace = timedelta(seconds=rt.settings.schedule.misfire_grace_seconds)
    problem = unreachable(lambda: rt.engine)
    if problem is not None:
        return False, {"status": "unhealthy", "reasons": [f"database unreachable ({problem})"], "jobs": {}}
    with rt.engine.connect() as connection:
        records = read_records(connection)
    jobs = service_health(scheduled_jobs(rt), records, now, grace)
    reasons = [_reason(job) for job in jobs if job.problems]
    body = {
        "status": "unhealthy" if reasons else "ok",
        "reasons": reasons,
        "jobs": {job.job_id: [str(problem) for problem in job.problems] for job in jobs},
    }
    return not reasons, body


def _reason(job: JobHealth) -> str:
    last = "never run" if job.last is None else f"last run {job.last.status}"
    return f"{job.job_id}: {', '.join(job.problems)} ({last})"


class StoreCollector(Collector):
    """The store's counts at the moment of the scrape."""

    def __init__(self, rt: Runtime, now: Clock) -> None:
        self.rt, self.now = rt, now

    def collect(self) -> Iterator[Metric]:
        with self.rt.engine.connect() as connection:
            yield from self._cases(connection)
            yield from self._runs(connection)
            yield from self._sms(connection)
            yield from self._attempts(connection)
        healthy, _ = health(self.rt, self.now())
        up = GaugeMetricFamily("proactive_healthy", "1 while /healthz answers 200: database up, every job healthy")
        up.add_metric([], 1.0 if healthy else 0.0)
        yield up

    def _cases(self, connection: Connection) -> Iterator[Metric]:
        metric = GaugeMetricFamily("proactive_cases", "Cases by kind and state", labels=["kind", "state"])
        by_state: dict[tuple[str, str], int] = {}
        for count in case_counts(connection):  # by route too: summed here
            by_state[count.kind, count.state] = by_state.get((count.kind, count.state), 0) + count.cases
        for (kind, state), cases in by_state.items():
            metric.add_metric([kind, state], cases)
        yield metric

    def _runs(self, connection: Connection) -> Iterator[Metric]:
        runs = CounterMetricFamily("proactive_job_runs", "Job runs by job and outcome", labels=["job", "outcome"])
        for job, status, count in run_counts(connection):
            runs.add_metric([job, status], count)
        yield runs
        success = GaugeMetricFamily(
            "proactive_job_last_success_timestamp_seconds", "When each job's latest ok run started", labels=["job"]
        )
        for job_id, run in read_records(connection).successes.items():
            success.add_metric([job_id], run.started_at.astimezone(UTC).timestamp())
        yield success

    def _sms(self, connection: Connection) -> Iterator[Metric]:
        metric = GaugeMetricFamily("proactive_sms", "SMS in the outbox by status", labels=["status"])
        by_status: dict[str, int] = {}
        for count in outbox_counts(connection):
            if count.channel == "sms":
                by_status[count.status] = by_status.get(count.status, 0) + count.notices
        for status, notices in by_status.items():
            metric.add_metric([status], notices)
        yield metric

    def _attempts(self, connection: Connection) -> Iterator[Metric]:
        metric = CounterMetricFamily(
            "proactive_bot_attempts", "Bot attempts on the platform by bot and outcome", labels=["bot", "outcome"]
        )
        for bot, outcome, count in attempt_counts(connection):
            metric.add_metric([bot, outcome], count)
        yield metric


@contextmanager
def ops_served(rt: Runtime) -> Iterator[str | None]:
    """/healthz and /metrics on their own port while `proactive serve` runs, if one is set; yields the address."""
    ops = rt.settings.ops
    if ops.port is None:
        yield None
        return
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(ops_router(rt))
    with serving(app, ops.host, ops.port, name="ops", lifespan="off") as url:
        yield url


def ops_router(rt: Runtime, now: Clock = Runtime.now) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz")
    def healthz() -> Response:
        healthy, body = health(rt, now())
        return JSONResponse(body, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"})

    @router.get("/metrics")
    def metrics() -> Response:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(StoreCollector(rt, now))
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
