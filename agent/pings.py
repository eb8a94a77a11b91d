"""What the service tells the outside about its runs: a dead-man's-switch ping per job (healthchecks.io style:
start, success, fail URLs) and an alert to the operator's webhook when a run fails or is degraded.

Each is one short request that never fails the job: an unreachable monitor is logged (without its URL, which holds
the check's key) and the run goes on. A ping that is not configured is not sent.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from ground.settings import OpsSettings
from ground.store.job_runs import RunStatus

log = logging.getLogger(__name__)
ALERTED = frozenset({RunStatus.FAILED, RunStatus.DEGRADED})
OUTCOMES = {RunStatus.FAILED: "失败", RunStatus.DEGRADED: "部分完成"}  # as the operator's alert SMS says it


def ping_start(ops: OpsSettings | None, job_id: str) -> None:
    pings = ops.pings.get(job_id) if ops else None
    if ops and pings:
        _send(ops, job_id, "start", pings.start)


def ping_end(ops: OpsSettings | None, job_id: str, status: RunStatus) -> None:
    """Success for an `ok` run, fail for a failed or degraded one (an interrupted run says neither: the service was
    told to stop, and the monitor's own grace tells whether it came back)."""
    pings = ops.pings.get(job_id) if ops else None
    if not (ops and pings):
        return
    if status is RunStatus.OK:
        _send(ops, job_id, "success", pings.success)
    elif status in ALERTED:
        _send(ops, job_id, "fail", pings.fail)


def alert(
    ops: OpsSettings | None,
    job_id: str,
    status: RunStatus,
    at: datetime,
    error: str | None,
    warnings: list[str],
) -> None:
    """POST a JSON alert to the operator's webhook when a run failed or is degraded."""
    if ops is None or ops.alert_webhook_url is None or status not in ALERTED:
        return
    reason = error or "; ".join(warnings) or status.value
    body: dict[str, Any] = {
        "job": job_id,
        "status": status.value,
        "at": at.isoformat(timespec="seconds"),
        "error": error,
        "warnings": warnings,
        "text": f"proactive: job {job_id} {status.value}: {reason}",
    }
    _send(ops, job_id, "alert", ops.alert_webhook_url, body)


def _send(ops: OpsSettings, job_id: str, what: str, url: SecretStr | None, body: dict[str, Any] | None = None) -> None:
    if url is None:
        return
    try:
        timeout = ops.ping_timeout_seconds
        if body is None:
            response = httpx.get(url.get_secret_value(), timeout=timeout)
        else:
            response = httpx.post(url.get_secret_value(), json=body, timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        log.warning("job %s: %s ping answered %s", job_id, what, exc.response.status_code)
    except httpx.HTTPError as exc:  # never the URL: it holds the check's key
        log.warning("job %s: %s ping not delivered (%s)", job_id, what, exc.__class__.__name__)
