"""The service's health, from what its jobs recorded (`job_runs`) and what its scheduler planned (the job store).

A job is healthy unless
- **failed**: its latest run failed, or
- **late**: a run its schedule called for has not started within the grace, or
- **stale**: it has not succeeded (a run ending `ok`) within its expected interval: the first run its schedule
  called for after its last success (after its first run, if it never succeeded) is past the grace, and the runs
  since were degraded, failed or interrupted. The run due is the first the schedule
  calls for after the last run started (for the bots, the first within the platform's hours: outside them a round
  returns at once and records nothing); for a job that has never run, the job store's next run time. The grace is
  the scheduler's misfire grace time: a run that could not start within it is dropped by the scheduler itself. A job
  that has never run and is in no job store is late from the start: no service has scheduled it on this database.

A degraded run (done, part of it left out, named in its warnings) or an interrupted one (the service was told to
stop) is shown; it counts against the job only when no run succeeds within the job's interval (stale).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Connection

from agent.service import ScheduledJob
from ground.store.job_runs import JobRunRow, RunStatus, last_runs, next_run_times

UNSUCCESSFUL = frozenset({RunStatus.DEGRADED, RunStatus.FAILED, RunStatus.INTERRUPTED})
# However far apart a schedule's working runs are (a long holiday for the bots), the search for the next one stops.
MAX_FIRE_TIMES = 2000


class Problem(StrEnum):
    FAILED = "failed"  # its latest run failed
    LATE = "late"  # a run its schedule called for has not started within the grace
    STALE = "stale"  # no run has succeeded within the job's expected interval (and the grace)


class NextFrom(StrEnum):
    JOB_STORE = "job store"  # the running (or last) service's plan
    SCHEDULE = "schedule"  # no service has scheduled the job here: computed from its trigger


@dataclass(frozen=True)
class JobHealth:
    job_id: str
    name: str
    schedule: str
    last: JobRunRow | None
    last_failure: JobRunRow | None
    next_run: datetime | None  # None: paused in the job store, or not scheduled
    next_from: NextFrom | None
    due: datetime | None  # when the run after the last one was due to start
    problems: list[Problem]


@dataclass(frozen=True)
class Records:
    """What the store says about every job: its latest run, its latest failed run, and the job store's next run
    times (only the jobs the service has scheduled are in it; None is a paused job)."""

    last: dict[str, JobRunRow]
    failures: dict[str, JobRunRow]
    planned: dict[str, datetime | None]
    successes: dict[str, JobRunRow] = field(default_factory=dict)  # each job's latest `ok` run
    firsts: dict[str, JobRunRow] = field(default_factory=dict)  # each job's first run


def read_records(connection: Connection) -> Records:
    return Records(
        last_runs(connection),
        last_runs(connection, RunStatus.FAILED),
        next_run_times(connection),
        last_runs(connection, RunStatus.OK),
        last_runs(connection, first=True),
    )


def job_health(job: ScheduledJob, records: Records, now: datetime, grace: timedelta) -> JobHealth:
    last = records.last.get(job.id)
    if job.id in records.planned:
        next_run, next_from = records.planned[job.id], NextFrom.JOB_STORE
    else:
        next_run, next_from = job.trigger.get_next_fire_time(None, now), NextFrom.SCHEDULE
    due = next_working_run(job, last.started_at) if last else records.planned.get(job.id)
    problems = [Problem.FAILED] if last and last.status is RunStatus.FAILED else []
    never_scheduled = last is None and job.id not in records.planned
    if never_scheduled or (due is not None and now > due + grace):
        problems.append(Problem.LATE)
    if last is not None and last.status in UNSUCCESSFUL and Problem.LATE not in problems:
        since = records.successes.get(job.id) or records.firsts.get(job.id) or last
        success_due = next_working_run(job, since.started_at)
        # a lone run that did not succeed: the next one is due, and `late` says if it does not come
        later_runs = since.started_at != last.started_at
        if later_runs and success_due is not None and now > success_due + grace:
            problems.append(Problem.STALE)
    return JobHealth(
        job.id, job.name, job.schedule, last, records.failures.get(job.id), next_run, next_from, due, problems
    )


def next_working_run(job: ScheduledJob, after: datetime) -> datetime | None:
    """The first time after `after` at which the job's trigger fires and the job does its work; None if there is
    none within `MAX_FIRE_TIMES` fire times."""
    moment = after
    for _ in range(MAX_FIRE_TIMES):
        fire: datetime | None = job.trigger.get_next_fire_time(moment, moment)
        if fire is None or job.works_at(fire):
            return fire
        moment = fire
    return None


def unscheduled_health(last: JobRunRow, failure: JobRunRow | None) -> JobHealth:
    """A job with runs but no schedule here (the bots run by hand with no platform configured): only its last
    run's outcome can count against it."""
    problems = [Problem.FAILED] if last.status is RunStatus.FAILED else []
    return JobHealth(last.job_id, "", "not scheduled", last, failure, None, None, None, problems)


def service_health(jobs: list[ScheduledJob], records: Records, now: datetime, grace: timedelta) -> list[JobHealth]:
    """Every scheduled job's health, then that of any other job that has recorded runs."""
    scheduled = [job_health(job, records, now, grace) for job in jobs]
    known = {job.id for job in jobs}
    others = sorted(set(records.last) - known)
    return scheduled + [unscheduled_health(records.last[i], records.failures.get(i)) for i in others]
