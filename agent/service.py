"""`proactive serve`: the scheduler, alone on its database, stopping cleanly on SIGTERM.

APScheduler must not run twice on one job store, so the service first takes a lock that the operating system or
the database releases by itself if the process dies (`ground.store.locks`). On PostgreSQL a second service on
another machine stands by for that lock and takes over when the first one's session ends (`ground.store.standby`).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from agent import jobs
from agent.runtime import Runtime
from ground.http_serving import serving
from ground.store.job_runs import JOB_STORE_TABLE
from ground.store.locks import alone
from ground.store.standby import StoppedWaiting, leading
from notifications.webhooks import create_webhooks

log = logging.getLogger(__name__)
# A bot round can take many minutes on a slow platform: it has a worker of its own, so the SMS, the refresh and the
# letters never wait for it ("maximum number of running instances reached"). The other jobs share two workers, so
# a due SMS dispatch goes out while a long refresh runs; each job still runs one instance at a time.
BOTS_EXECUTOR = "bots"
DEFAULT_WORKERS = 2
RECONCILE_MINUTES = 15  # how soon an SMS whose send is uncertain is settled with the provider
REFRESH = "load registries and scan for expiring licences"
MATCH = "match the registry against the subsidy policies"
NOTIFY = "record due notices and send the SMS that are due (within sending hours)"
RECONCILE = "settle SMS whose send is uncertain against the provider"
LETTERS = "print the day's letters and their mailing manifest"
BOTS = "pre-fill seamless cases on the platform and read decisions back (within platform hours)"
# With workers (`agent.workers`), these jobs are enqueued for them instead of run here; the others stay here.
ENQUEUED = {
    jobs.BOTS_JOB_ID: "agent.workers:enqueue_bot_rounds",
    jobs.NOTIFY_JOB_ID: "agent.workers:enqueue_notify_round",
    jobs.LETTERS_JOB_ID: "agent.workers:enqueue_letters_round",
}
CHASE = "chase the cases waiting on their approver past the promise (working days)"


class StoppingPool(ThreadPoolExecutor):  # type: ignore[misc]  # APScheduler 3 has no type hints
    """A worker pool that starts nothing once the service is told to stop. The signal can arrive while the scheduler
    is handing due jobs to the pools: what it hands over afterwards is dropped here, quietly, rather than run, or
    refused by a pool already shut down ("cannot schedule new futures after shutdown", with a traceback)."""

    def submit_job(self, job: Job, run_times: list[datetime]) -> None:
        if jobs.STOP.is_set():
            log.info("%s not started: the service is stopping", job.id)
            return
        try:
            super().submit_job(job, run_times)
        except RuntimeError:  # the pool was shut down between the check above and the submit
            if not jobs.STOP.is_set():
                raise
            log.info("%s not started: the service is stopping", job.id)


def _always(_moment: datetime) -> bool:
    return True


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    entry: str  # the scheduler's entry point, by name: the job store keeps it so
    name: str
    trigger: BaseTrigger
    schedule: str  # the trigger as configured, for people
    # Whether a run started at this moment (in the bureau's zone) does the work and records it; a bot round outside
    # the platform's hours returns at once, unrecorded.
    works_at: Callable[[datetime], bool] = _always
    executor: str = "default"  # the scheduler's worker pool it runs in (the bots have their own)


def scheduled_jobs(runtime: Runtime) -> list[ScheduledJob]:
    """The service's jobs, as configured: each one's id, entry point and trigger."""
    settings, zone = runtime.settings, runtime.settings.zone
    configured = [
        _cron(jobs.REFRESH_JOB_ID, "scheduled_refresh", REFRESH, settings.schedule.refresh_cron, zone),
        _cron(jobs.MATCH_JOB_ID, "scheduled_match_round", MATCH, settings.policies.match_cron, zone),
        _every(jobs.NOTIFY_JOB_ID, "scheduled_notify_round", NOTIFY, settings.notify.sms.dispatch_minutes, zone),
        _every(jobs.RECONCILE_JOB_ID, "scheduled_reconcile_round", RECONCILE, RECONCILE_MINUTES, zone),
        _cron(jobs.LETTERS_JOB_ID, "scheduled_letters_round", LETTERS, settings.notify.letters.batch_cron, zone),
        _cron(jobs.CHASE_JOB_ID, "scheduled_chase_round", CHASE, settings.chase.cron, zone),
    ]
    if settings.platform.base_url is not None:
        bots = _every(jobs.BOTS_JOB_ID, "scheduled_bot_round", BOTS, settings.platform.prefill_minutes, zone)
        works_at = partial(jobs.platform_open, settings.platform, runtime.calendar)
        configured.append(replace(bots, works_at=works_at, executor=BOTS_EXECUTOR))
    if settings.workers.broker_url is not None:
        return [replace(job, entry=ENQUEUED.get(job.id, job.entry)) for job in configured]
    return configured


def _cron(job_id: str, entry: str, name: str, crontab: str, zone: ZoneInfo) -> ScheduledJob:
    trigger = CronTrigger.from_crontab(crontab, timezone=zone)
    return ScheduledJob(job_id, f"agent.jobs:{entry}", name, trigger, f"cron {crontab}")


def _every(job_id: str, entry: str, name: str, minutes: int, zone: ZoneInfo) -> ScheduledJob:
    trigger = IntervalTrigger(minutes=minutes, timezone=zone)
    return ScheduledJob(job_id, f"agent.jobs:{entry}", name, trigger, f"every {minutes} min")


def build_scheduler(runtime: Runtime) -> BlockingScheduler:
    schedule = runtime.settings.schedule
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=runtime.engine, tablename=JOB_STORE_TABLE)},
        executors={
            "default": StoppingPool(max_workers=DEFAULT_WORKERS),
            BOTS_EXECUTOR: StoppingPool(max_workers=1),
        },
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": schedule.misfire_grace_seconds},
        timezone=runtime.settings.zone,
    )
    for job in scheduled_jobs(runtime):
        scheduler.add_job(
            job.entry, job.trigger, id=job.id, name=job.name, executor=job.executor, replace_existing=True
        )
    if schedule.run_on_start:
        scheduler.add_job("agent.jobs:scheduled_refresh", id=f"{jobs.REFRESH_JOB_ID}-on-start", replace_existing=True)
    return scheduler


@contextmanager
def webhooks(runtime: Runtime) -> Iterator[None]:
    """The SMS provider's webhooks (delivery statuses, replies) for as long as the service runs, if configured."""
    sms = runtime.settings.notify.sms
    if sms.webhook_port is None:
        yield
        return
    app = create_webhooks(runtime.engine, runtime.notifier, runtime.now)
    with serving(app, sms.webhook_host, sms.webhook_port, name="webhooks", lifespan="off") as url:
        log.info("webhooks listening on %s (public URL %s)", url, sms.public_url)
        yield


class LeadershipLost(RuntimeError):
    """The scheduler lock's session ended under this process: a standby may be scheduling now."""


def serve(runtime: Runtime) -> None:
    """Schedule the jobs until SIGTERM. On PostgreSQL a second service waits as the standby and takes over when the
    first one's session ends; on SQLite (one machine) a second service refuses to start."""
    stopping, lost = threading.Event(), threading.Event()
    scheduler: BlockingScheduler | None = None

    def stop_scheduling() -> None:
        jobs.STOP.set()
        if scheduler is not None:
            scheduler.pause()  # nothing more is handed to the executor, queued or due
            scheduler.shutdown(wait=True)

    def stop(signum: int, _frame: FrameType | None) -> None:
        if stopping.is_set():  # a second signal while the first is being honoured
            return
        log.info("signal %s: finishing the running step, then stopping", signal.Signals(signum).name)
        stopping.set()  # a standby stops waiting
        stop_scheduling()

    def lose() -> None:
        lost.set()
        stop_scheduling()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        with scheduler_lock(runtime, stopping, lose), webhooks(runtime):
            scheduler = build_scheduler(runtime)
            if not stopping.is_set():
                log.info(
                    "serving; refresh cron %r (%s)", runtime.settings.schedule.refresh_cron, runtime.settings.timezone
                )
                scheduler.start()
    except StoppedWaiting:
        log.info("stopped while standing by")
        return
    if lost.is_set():
        raise LeadershipLost("the scheduler lock's database session ended; stopped scheduling so that one runs")
    log.info("stopped cleanly")


@contextmanager
def scheduler_lock(runtime: Runtime, stopping: threading.Event, on_lost: Callable[[], None]) -> Iterator[None]:
    """The right to schedule: on PostgreSQL waited for as the standby and watched while held; on SQLite, the file."""
    if runtime.engine.dialect.name == "postgresql":
        with leading(runtime.engine, runtime.settings.schedule.standby_seconds, stopping, on_lost, runtime.now):
            yield
        return
    with alone(runtime.engine, "serve", "another `proactive serve` is running"):
        yield
