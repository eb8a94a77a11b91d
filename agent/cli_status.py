"""`proactive status`: whether the unattended service is doing its work, for an operator (a table) or a monitor
(`--format json`, and the exit code)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_types import Fail, GetRuntime

if TYPE_CHECKING:
    from agent.status import JobHealth
    from ground.store.job_runs import JobRunRow

# keyed by the run statuses' values (RunStatus is a StrEnum): ground.store.job_runs would load the store for --help
STYLES = {"ok": "green", "degraded": "yellow", "failed": "red", "interrupted": "yellow", "running": "cyan"}


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @app.command("status")
    def status(
        format: Annotated[Format, typer.Option(help="a table on screen, or json for a monitor")] = Format.TABLE,
    ) -> None:
        """The service's health from its job runs: each scheduled job's last run (when, how long), its outcome and
        warnings, its last failure's error and its next run. Exit 1 when a job's last run failed, or a run its
        schedule called for has not started within the misfire grace time (PROACTIVE_SCHEDULE__MISFIRE_GRACE_SECONDS;
        for the bots, only runs within the platform's hours count), or no run has succeeded within its interval."""
        from agent.service import scheduled_jobs  # lazy
        from agent.status import read_records, service_health  # lazy

        rt = runtime()
        now, zone = rt.now(), rt.settings.zone
        grace = timedelta(seconds=rt.settings.schedule.misfire_grace_seconds)
        with rt.engine.connect() as connection:
            records = read_records(connection)
        health = service_health(scheduled_jobs(rt), records, now, grace)
        if format is Format.JSON:
            typer.echo(json.dumps(status_json(health, now, grace, zone), ensure_ascii=False, indent=2))
        else:
            print_status(console, health, now, grace, zone)
        if any(job.problems for job in health):
            raise typer.Exit(1)


def print_status(console: Console, health: list[JobHealth], now: datetime, grace: timedelta, zone: ZoneInfo) -> None:
    table = Table("job", "schedule", "last run", "took", "outcome", "next run", "health", title=_title(now, zone))
    table.columns[0].no_wrap = True
    for job in health:
        table.add_row(
            job.job_id,
            job.schedule,
            "never" if job.last is None else _local(job.last.started_at, zone),
            "" if job.last is None else _took(job.last, now),
            "" if job.last is None else f"[{STYLES[job.last.status]}]{job.last.status}[/]",
            _next(job, zone),
            _health(job, zone),
        )
    console.print(table)
    for job in health:
        for warning in job.last.warnings if job.last else []:
            console.print(f"[yellow]warning:[/yellow] {job.job_id}: {escape(warning)}")
        if job.last_failure is not None:
            failed_at = _local(job.last_failure.started_at, zone)
            console.print(f"[red]last failure:[/red] {job.job_id} {failed_at}: {escape(job.last_failure.error or '')}")
    console.print(f"late: a run its schedule called for has not started within {_duration(grace)}")
    console.print(f"stale: no run has ended ok within the interval after the last ok run, plus {_duration(grace)}")


def _title(now: datetime, zone: ZoneInfo) -> str:
    return f"service status at {_local(now, zone)} ({zone.key})"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


def _took(run: JobRunRow, now: datetime) -> str:
    took = _duration((run.finished_at or now) - run.started_at)
    return took if run.finished_at else f"{took} so far"


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds % 60:02d}s" if minutes else f"{seconds}s"


def _next(job: JobHealth, zone: ZoneInfo) -> str:
    from agent.status import NextFrom  # lazy

    if job.next_from is None:
        return ""
    if job.next_run is None:
        return "paused"
    return _local(job.next_run, zone) + (" (schedule)" if job.next_from is NextFrom.SCHEDULE else "")


def _health(job: JobHealth, zone: ZoneInfo) -> str:
    if not job.problems:
        return "[green]ok[/green]"
    due = " (never run)" if job.due is None else f" (due {_local(job.due, zone)})"
    return f"[red]{', '.join(job.problems)}{due}[/red]"


def status_json(health: list[JobHealth], now: datetime, grace: timedelta, zone: ZoneInfo) -> dict[str, Any]:
    """The health as JSON for a monitor; moments in ISO 8601 with the bureau's offset."""
    return {
        "at": _iso(now, zone),
        "healthy": not any(job.problems for job in health),
        "grace_seconds": int(grace.total_seconds()),
        "jobs": [_job_json(job, zone) for job in health],
    }


def _job_json(job: JobHealth, zone: ZoneInfo) -> dict[str, Any]:
    failure = job.last_failure
    return {
        "job": job.job_id,
        "name": job.name,
        "schedule": job.schedule,
        "last_run": None if job.last is None else _run_json(job.last, zone),
        "last_failure": None if failure is None else {"at": _iso(failure.started_at, zone), "error": failure.error},
        "next_run": _iso(job.next_run, zone),
        "next_run_from": job.next_from,
        "due": _iso(job.due, zone),
        "problems": list(job.problems),
    }


def _run_json(run: JobRunRow, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "started_at": _iso(run.started_at, zone),
        "finished_at": _iso(run.finished_at, zone),
        "seconds": None if run.finished_at is None else (run.finished_at - run.started_at).total_seconds(),
        "status": run.status,
        "counts": run.counts,
        "warnings": run.warnings,
        "error": run.error,
    }


def _iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")
