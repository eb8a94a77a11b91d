"""Workers on any machine: the bot rounds, the SMS dispatch and the letters as Celery tasks on RabbitMQ.

With `workers.broker_url` set, the service's scheduler enqueues these jobs (the `enqueue_*` entry points) instead of
running them, and `proactive worker` processes run them. Delivery is at least once: a task is acknowledged when it
has ended (`acks_late`), and one whose worker died under it is delivered again (`reject_on_worker_lost`; RabbitMQ
requeues what a lost connection had not acknowledged). That is safe because the claims live in the database, not in
the queue: a round holds its locks (released by the database when its worker's session ends), a case's platform
reference is written before any browser step and searched for before any repeat, and an SMS goes out only after its
outbox row's compare-and-set. A task whose round is already at work elsewhere ends at once: that round does the work.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from functools import cache, partial

from celery import Celery
from celery.signals import worker_shutting_down

from agent import jobs
from agent.runtime import Runtime
from ground.settings import WorkerSettings, load_settings
from ground.store.locks import Held

log = logging.getLogger(__name__)
PREFILL = "proactive.prefill"  # one task per (platform, matter) with cases due: workers file several matters at once
STATUS_SYNC = "proactive.status_sync"
NOTIFY = "proactive.notify"
LETTERS = "proactive.letters"
# A task still queued after this long is dropped: a later firing has enqueued the same work (the rounds are
# idempotent), and workers back from an outage should not work through a backlog of identical rounds.
EXPIRES_SECONDS = 3600


def celery_app(settings: WorkerSettings) -> Celery:
    """The Celery application on the configured broker and queue, its tasks registered."""
    if settings.broker_url is None:
        raise ValueError("workers need PROACTIVE_WORKERS__BROKER_URL")
    app = Celery("proactive", broker=settings.broker_url.get_secret_value(), set_as_current=False)
    app.conf.update(
        task_acks_late=True,  # acknowledged when done: a worker killed mid-task leaves it to another
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds one task at a time: the others go to idle workers
        task_default_queue=settings.queue,
        task_ignore_result=True,  # the job runs are recorded in the store, not in a result backend
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    for name, task in TASKS.items():
        app.task(name=name)(task)
    return app


@cache
def _runtime() -> Runtime:
    """The worker process's settings and store, read once (a task is a round, not a process)."""
    return Runtime(load_settings())


def _unless_held(name: str, work: Callable[[Runtime], object]) -> None:
    try:
        work(_runtime())
    except Held as exc:
        log.info("%s skipped: %s (that round does the work)", name, exc)


def prefill(platform: str, matter: str, limit: int | None = None) -> None:
    """Pre-fill at most `limit` of the seamless cases due on one matter (form) of the platform at `platform`;
    several tasks on one matter share its cases out by their leases."""
    configured = _runtime().settings.platform.base_url
    if platform != configured:  # a task queued for another platform, or before the settings changed
        log.warning("pre-fill on %s skipped: this worker files on %s", platform, configured)
        return
    what = f"pre-fill of {matter} on {platform}"
    round_ = partial(jobs.bot_round, base_url=platform, steps=("prefill",), limit=limit, matters=(matter,))
    _unless_held(what, round_)


def status_sync() -> None:
    """Read the approvers' decisions back from the platform."""
    _unless_held("status sync", lambda rt: jobs.bot_round(rt, steps=("status_sync",)))


def notify() -> None:
    """Record the due notices and send the SMS that are due: one round at a time."""
    _unless_held("notify round", lambda rt: jobs.notify_round(rt, holds=("notify",)))


def letters() -> None:
    """Print the day's letters: one round at a time."""
    _unless_held("letters round", lambda rt: jobs.letters_round(rt, holds=("letters",)))


TASKS: dict[str, Callable[..., None]] = {PREFILL: prefill, STATUS_SYNC: status_sync, NOTIFY: notify, LETTERS: letters}


def _enqueue(*tasks: tuple[str | int, ...]) -> None:
    """Put tasks (name, arguments) on the queue; the scheduler's part when workers do the work."""
    settings = load_settings().workers
    app = celery_app(settings)
    try:
        for name, *args in tasks:
            app.send_task(name, args=args, queue=settings.queue, expires=EXPIRES_SECONDS)
            log.info("enqueued %s %s", name, args)
    finally:
        app.close()


def enqueue_bot_rounds() -> None:
    """The scheduler's bot round with workers: the pre-fill of each matter of the platform with cases due, in
    shares of `cases_per_task` (idle workers take the shares, so one matter's cases are filed by several at once),
    and a status sync."""
    runtime = Runtime(load_settings())
    platform = runtime.settings.platform.base_url or ""  # no platform: no matter is due
    share = runtime.settings.workers.cases_per_task
    _enqueue(*prefill_tasks(platform, jobs.due_matters(runtime), share), (STATUS_SYNC,))


def prefill_tasks(platform: str, due: dict[str, int], share: int) -> list[tuple[str, str, str, int]]:
    """One pre-fill task per `share` cases due on each matter, each filing at most that many."""
    return [(PREFILL, platform, matter, share) for matter, count in due.items() for _ in range(-(-count // share))]


def enqueue_notify_round() -> None:
    _enqueue((NOTIFY,))


def enqueue_letters_round() -> None:
    _enqueue((LETTERS,))


def _stop_rounds(**_: object) -> None:
    """SIGTERM to a worker: its round stops between two cases, as the service's does (the rest waits for the next)."""
    jobs.STOP.set()


def run_worker(settings: WorkerSettings) -> None:
    """A worker, one task at a time in this process (the bots' browser is this process's own), until SIGTERM."""
    worker_shutting_down.connect(_stop_rounds)
    name = f"proactive-{os.getpid()}@{socket.gethostname()}"
    argv = ["worker", "--pool=solo", "--loglevel=INFO", f"--queues={settings.queue}", f"--hostname={name}"]
    celery_app(settings).worker_main(argv=[*argv, "--without-gossip", "--without-mingle"])
