"""`proactive serve`: the scheduler, alone on its database, stopping cleanly on SIGTERM.

APScheduler must not run twice on one job store, so the service first takes a lock that the operating system or
the database releases by itself if the process dies (`ground.store.locks`).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from agent import jobs
from agent.runtime import Runtime
from ground.http_serving import serving
from ground.store.locks import alone
from notifications.webhooks import create_webhooks

log = logging.getLogger(__name__)


def build_scheduler(runtime: Runtime) -> BlockingScheduler:
    schedule = runtime.settings.schedule
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=runtime.engine)},
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": schedule.misfire_grace_seconds},
        timezone=runtime.settings.zone,
    )
    scheduler.add_job(
        "agent.jobs:scheduled_refresh",
        CronTrigger.from_crontab(schedule.refresh_cron, timezone=runtime.settings.zone),
        id=jobs.REFRESH_JOB_ID,
        name="load registries and scan for expiring licences",
        replace_existing=True,
    )
    scheduler.add_job(
        "agent.jobs:scheduled_match_round",
        CronTrigger.from_crontab(runtime.settings.policies.match_cron, timezone=runtime.settings.zone),
        id=jobs.MATCH_JOB_ID,
        name="match the registry against the subsidy policies",
        replace_existing=True,
    )
    if runtime.settings.platform.base_url is not None:
        scheduler.add_job(
            "agent.jobs:scheduled_bot_round",
            IntervalTrigger(minutes=runtime.settings.platform.prefill_minutes, timezone=runtime.settings.zone),
            id=jobs.BOTS_JOB_ID,
            name="pre-fill seamless cases on the platform and read decisions back (within platform hours)",
            replace_existing=True,
        )
    _add_notification_jobs(scheduler, runtime)
    if schedule.run_on_start:
        scheduler.add_job("agent.jobs:scheduled_refresh", id=f"{jobs.REFRESH_JOB_ID}-on-start", replace_existing=True)
    return scheduler


def _add_notification_jobs(scheduler: BlockingScheduler, runtime: Runtime) -> None:
    notify, zone = runtime.settings.notify, runtime.settings.zone
    scheduler.add_job(
        "agent.jobs:scheduled_notify_round",
        IntervalTrigger(minutes=notify.sms.dispatch_minutes, timezone=zone),
        id=jobs.NOTIFY_JOB_ID,
        name="record due notices and send the SMS that are due (within sending hours)",
        replace_existing=True,
    )
    scheduler.add_job(
        "agent.jobs:scheduled_reconcile_round",
        IntervalTrigger(minutes=15, timezone=zone),
        id=jobs.RECONCILE_JOB_ID,
        name="settle SMS whose send is uncertain against the provider",
        replace_existing=True,
    )
    scheduler.add_job(
        "agent.jobs:scheduled_letters_round",
        CronTrigger.from_crontab(notify.letters.batch_cron, timezone=zone),
        id=jobs.LETTERS_JOB_ID,
        name="print the day's letters and their mailing manifest",
        replace_existing=True,
    )


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


def serve(runtime: Runtime) -> None:
    with alone(runtime.engine, "serve", "another `proactive serve` is running"), webhooks(runtime):
        scheduler = build_scheduler(runtime)

        def stop(signum: int, _frame: FrameType | None) -> None:
            if jobs.STOP.is_set():  # a second signal while the first is being honoured
                return
            log.info("signal %s: finishing the running step, then stopping", signal.Signals(signum).name)
            jobs.STOP.set()
            scheduler.pause()  # nothing more is handed to the executor, queued or due
            scheduler.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("serving; refresh cron %r (%s)", runtime.settings.schedule.refresh_cron, runtime.settings.timezone)
        scheduler.start()
    log.info("stopped cleanly")
