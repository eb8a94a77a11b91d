"""Workers on the real RabbitMQ, Redis and PostgreSQL: three `proactive worker` processes pre-fill a batch of cases on
the sandbox platform and send their SMS through the sandbox gateway while workers are killed (SIGKILL) at random
and started again. At least once must never mean twice: every case is filed once, every SMS goes once, nothing is
left stuck, and the platform never has more of our sessions at once than its limit, whichever workers hold them."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import kombu
import pytest
from apscheduler.util import ref_to_obj
from celery import Celery
from sqlalchemy import Engine, create_engine, select, text, update
from twilio.rest import Client

from agent import jobs
from agent.runtime import Runtime
from agent.service import scheduled_jobs
from agent.workers import LETTERS, NOTIFY, PREFILL, STATUS_SYNC, celery_app, prefill_tasks
from domain.licence_types import load_licence_types
from domain.scan.run import run_scan
from ground import failpoints
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.outside_work.slots import platform_slots
from ground.settings import WorkerSettings, load_settings
from ground.store.locks import alone
from ground.store.tables import bot_attempts, cases, job_runs, notifications
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, gateway_process
from tests.bots.conftest import PASSWORD, World, now
from tests.conftest import patient, postgres_database
from tests.models.conftest import load_county

CASES = 16
WORKERS = 3
KILLS = 5
SESSIONS = 2  # the platform's limit (platform.concurrency): each round would open this many pages by itself
LEASE_SECONDS = 5  # a killed worker's platform slot is free again this long after its last renewal
# A killed worker's cases go to another this long after it took them: longer than one case's tries on this machine,
# so that no live worker loses a case it is filing (the takeover would search first, but might search too early).
CASE_LEASE_SECONDS = 90
MATTER = "food_renewal"  # the standard profile's form for the food licence renewals
SMS_TIMEOUT_SECONDS = 1  # an SMS send left uncertain by a kill is settled with the provider after this plus 5 s
UNSETTLED = {"created", "sending"}  # not yet sent, or the send's outcome not yet known


@pytest.fixture
def world(tmp_path: Path, worker_id: str) -> Iterator[World]:
    """A county in a PostgreSQL database of this test's own, scanned; the workers share it across processes."""
    url = postgres_database(f"{worker_id}_workers")
    fresh = create_engine(url)
    with fresh.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    fresh.dispose()
    engine = load_county(tmp_path, 1200, seed=21, url=url)
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    run_scan(engine, load_licence_types(), calendar, now().date(), now())
    yield World(engine, tmp_path)
    engine.dispose()


@pytest.fixture
def queue(broker_url: str) -> Iterator[str]:
    """A queue of this run's own: parallel test runs on one RabbitMQ never take each other's tasks."""
    name = f"proactive-test-{uuid.uuid4().hex[:12]}"
    yield name
    with kombu.Connection(broker_url) as connection:
        kombu.Queue(name).bind(connection.default_channel).delete()


@pytest.fixture
def platform_url(tmp_path: Path) -> Iterator[str]:
    settings = PlatformSettings(
        db_path=tmp_path / "platform.db", admin=True, applicant_password=PASSWORD, session_ttl=int(patient(3600))
    )
    with serving(settings) as url:
        yield url


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[str]:
    with gateway_process(tmp_path / "gateway.db", "--delivery-step-ms", "50") as url:
        yield url


def environment(
    world: World, platform_url: str, gateway: str, broker_url: str, redis_url: str, queue: str
) -> dict[str, str]:
    """The settings every worker (and the test's own rounds) runs with: one database, platform, gateway, queue."""
    return {
        "PROACTIVE_DATABASE_URL": world.engine.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(world.folder),
        "PROACTIVE_PLATFORM__BASE_URL": platform_url,
        "PROACTIVE_PLATFORM__PASSWORD": PASSWORD,
        "PROACTIVE_PLATFORM__CONCURRENCY": str(SESSIONS),
        "PROACTIVE_PLATFORM__HOURS": "00:00-23:59",  # whatever the wall clock says
        "PROACTIVE_PLATFORM__DAYS": "every",
        "PROACTIVE_PLATFORM__BACKOFF_SECONDS": "0",
        "PROACTIVE_PLATFORM__PARK_AFTER": "50",  # kills are no verdict on a case; only its own failures park it
        "PROACTIVE_PLATFORM__LEASE_SECONDS": str(CASE_LEASE_SECONDS),
        "PROACTIVE_NOTIFY__SMS__SENDER": "twilio",
        "PROACTIVE_NOTIFY__SMS__ACCOUNT_SID": SANDBOX_ACCOUNT_SID,
        "PROACTIVE_NOTIFY__SMS__AUTH_TOKEN": SANDBOX_AUTH_TOKEN,
        "PROACTIVE_NOTIFY__SMS__FROM_NUMBER": "+15005550006",
        "PROACTIVE_NOTIFY__SMS__API_BASE_URL": gateway,
        "PROACTIVE_NOTIFY__SMS__SEND_HOURS": "00:00-23:59",
        "PROACTIVE_NOTIFY__SMS__REST_DAY_HOURS": "00:00-23:59",
        "PROACTIVE_NOTIFY__SMS__TIMEOUT_SECONDS": str(SMS_TIMEOUT_SECONDS),
        "PROACTIVE_WORKERS__BROKER_URL": broker_url,
        "PROACTIVE_WORKERS__REDIS_URL": redis_url,
        "PROACTIVE_WORKERS__QUEUE": queue,
        "PROACTIVE_WORKERS__LEASE_SECONDS": str(LEASE_SECONDS),
    }


class Workers:
    """`proactive worker` processes, killed and started again by the test."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = os.environ | env, folder
        self.processes: list[subprocess.Popen[bytes]] = []
        self.started = 0

    def start(self) -> None:
        self.started += 1
        log = (self.folder / f"worker-{self.started}.log").open("wb")
        command = [str(Path(sys.executable).parent / "proactive"), "worker"]
        self.processes.append(subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT))

    def kill_one(self, pick: random.Random) -> None:
        victim = self.processes.pop(pick.randrange(len(self.processes)))
        victim.send_signal(signal.SIGKILL)
        victim.wait()

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=patient(30))
            except subprocess.TimeoutExpired:
                process.kill()


def enqueue_rounds(app: Celery, queue: str, platform_url: str) -> None:
    """What the scheduler enqueues on its beat: the food renewals' pre-fill in shares (here each worker can take
    one), a status sync, a notify round."""
    shares = prefill_tasks(platform_url, {MATTER: CASES}, CASES // WORKERS + 1)
    for name, *args in (*shares, (STATUS_SYNC,), (NOTIFY,)):
        app.send_task(name, args=args, queue=queue)


def wait_until(
    done: Callable[[], bool], what: str, app: Celery, queue: str, service: Runtime, platform_url: str
) -> None:
    """Keep the rounds coming, as the scheduler would, until `done`; a bound on the wait, not a timing goal. The
    scheduler settles uncertain sends itself (the reconcile job stays in the service)."""
    deadline = time.monotonic() + patient(240)
    while not done():
        assert time.monotonic() < deadline, f"not {what} in time"
        enqueue_rounds(app, queue, platform_url)
        jobs.reconcile_round(service)
        time.sleep(3)


def states_by_case(engine: Engine, ids: list[int]) -> dict[int, str]:
    with engine.connect() as connection:
        return dict(connection.execute(select(cases.c.id, cases.c.state).where(cases.c.id.in_(ids))).tuples().all())


def states(engine: Engine, ids: list[int]) -> Counter[str]:
    return Counter(states_by_case(engine, ids).values())


def notices(engine: Engine, ids: list[int]) -> list[dict[str, Any]]:
    """Each case's notice that it was filed (an SMS, or a letter for a holder without a usable mobile)."""
    with engine.connect() as connection:
        query = select(notifications).where(notifications.c.case_id.in_(ids), notifications.c.fallback_of.is_(None))
        return [dict(row) for row in connection.execute(query).mappings()]


def all_sent(engine: Engine, ids: list[int]) -> bool:
    """Every filed case's notice is recorded and sent (or its send settled with the provider)."""
    filed = {case_id for case_id, state in states_by_case(engine, ids).items() if state == "prefilled"}
    sent = {row["case_id"] for row in notices(engine, ids) if row["status"] not in UNSETTLED}
    return filed <= sent


def provider_messages(gateway: str) -> list[Any]:
    client = Client(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN)
    client.api.base_url = gateway
    return list(client.messages.list())


def test_three_workers_killed_at_random_file_each_case_once_send_each_sms_once_and_leave_nothing_stuck(
    world: World,
    platform_url: str,
    gateway: str,
    broker_url: str,
    redis_url: str,
    queue: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = world.seamless(CASES, open_on=datetime.now(ZoneInfo("Asia/Shanghai")).date())  # workers file on today
    env = environment(world, platform_url, gateway, broker_url, redis_url, queue)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    service = Runtime(load_settings())  # the scheduler's side
    app = celery_app(service.settings.workers)
    slots = platform_slots(redis_url, platform_url, SESSIONS, LEASE_SECONDS)
    workers, pick = Workers(env, world.folder), random.Random(21)
    try:
        for _ in range(WORKERS):
            workers.start()
        for _ in range(KILLS):  # a kill lands anywhere: mid-filing, mid-send, between tasks
            enqueue_rounds(app, queue, platform_url)
            time.sleep(pick.uniform(3, 12))
            workers.kill_one(pick)
            workers.start()
        all_filed = lambda: "consented" not in states(world.engine, ids)  # noqa: E731
        wait_until(all_filed, "all filed", app, queue, service, platform_url)
        wait_until(lambda: all_sent(world.engine, ids), "all notices sent", app, queue, service, platform_url)
    finally:
        workers.stop()
        most_held = slots.most_held()
        slots.client.delete(*slots.client.keys(f"proactive:slots:platform:{platform_url}*"))

    references = Counter(application["reference"] for application in platform_applications(platform_url))
    filed = states(world.engine, ids)
    sms = [row for row in notices(world.engine, ids) if row["channel"] == "sms"]
    assert workers.started == WORKERS + KILLS
    # A case the platform refuses (a registry record without a phone) is parked for a person: decided, not stuck.
    assert set(filed) <= {"prefilled", "parked"} and filed["prefilled"] >= CASES // 2, filed
    assert sorted(references.values()) == [1] * filed["prefilled"], "each case filed once, whatever was killed"
    assert sms, "the holders have mobiles: the notices go by SMS"
    assert len(provider_messages(gateway)) == len(sms), "each SMS went to the provider once"
    with world.engine.connect() as connection:
        running_tries = connection.execute(select(bot_attempts).where(bot_attempts.c.outcome == "running")).all()
        running_runs = connection.execute(select(job_runs).where(job_runs.c.status == "running")).all()
    assert running_tries == [], "the tries a killed worker left running are closed by the next round"
    assert running_runs == [], "so are its runs"
    assert 1 <= most_held <= SESSIONS, "never more of our sessions on the platform than its limit"


def platform_applications(url: str) -> list[dict[str, Any]]:
    return list(httpx.get(f"{url}/_sandbox/applications").json())


def bot_runs(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        query = select(job_runs).where(job_runs.c.job_id == jobs.BOTS_JOB_ID).order_by(job_runs.c.id)
        return [dict(row) for row in connection.execute(query).mappings()]


def wait_for(done: Callable[[], bool], what: str) -> None:
    """A bound on the wait, not a timing goal."""
    deadline = time.monotonic() + patient(240)
    while not done():
        assert time.monotonic() < deadline, f"not {what} in time"
        time.sleep(1)


def answering(app: Celery, count: int) -> None:
    wait_for(lambda: len(app.control.ping(timeout=1)) >= count, f"{count} workers answering")


def test_two_workers_on_one_matter_file_disjoint_shares_of_its_cases_at_once(
    world: World, platform_url: str, gateway: str, broker_url: str, redis_url: str, queue: str
) -> None:
    ids = world.seamless(8, open_on=datetime.now(ZoneInfo("Asia/Shanghai")).date())
    env = environment(world, platform_url, gateway, broker_url, redis_url, queue)
    app = celery_app(WorkerSettings.model_validate({"broker_url": broker_url, "queue": queue}))
    workers = Workers(env, world.folder)
    try:
        workers.start()
        workers.start()
        answering(app, 2)
        for name, *args in prefill_tasks(platform_url, {MATTER: len(ids)}, len(ids) // 2):  # the scheduler's beat
            app.send_task(name, args=args, queue=queue)
        wait_for(lambda: "consented" not in states(world.engine, ids), "all filed")
        wait_for(lambda: all(run["status"] != "running" for run in bot_runs(world.engine)), "both rounds ended")
    finally:
        workers.stop()
        app.close()

    runs = bot_runs(world.engine)
    filed = states(world.engine, ids)
    references = Counter(application["reference"] for application in platform_applications(platform_url))
    per_run = [sum(run["counts"].get("prefill", {}).get(outcome, 0) for outcome in ("filed", "parked")) for run in runs]
    assert len(runs) == 2 and all(per_run), "each worker filed a share"
    assert sum(per_run) == len(ids), "no case worked by both"
    assert sorted(references.values()) == [1] * filed["prefilled"], "each case filed once"
    assert runs[1]["started_at"] < runs[0]["finished_at"], "the two shares were filed at once"


@dataclass
class Stopped:
    """A worker stopped right after the platform took its one case (exit 75), its share's task never acknowledged;
    `workers` are started by the test."""

    case_id: int
    app: Celery
    workers: Workers
    share: tuple[Any, ...]


@contextmanager
def stopped_after_submit(
    world: World, platform_url: str, gateway: str, broker_url: str, redis_url: str, queue: str
) -> Iterator[Stopped]:
    [case_id] = world.seamless(1, open_on=datetime.now(ZoneInfo("Asia/Shanghai")).date())
    env = environment(world, platform_url, gateway, broker_url, redis_url, queue)
    env["PROACTIVE_PLATFORM__LEASE_SECONDS"] = "3600"
    app = celery_app(WorkerSettings.model_validate({"broker_url": broker_url, "queue": queue}))
    stopping = Workers(env | {"PROACTIVE_FAILPOINT": failpoints.AFTER_SUBMIT}, world.folder)
    workers = Workers(env, world.folder)
    [share] = prefill_tasks(platform_url, {MATTER: 1}, 1)
    try:
        stopping.start()
        app.send_task(share[0], args=share[1:], queue=queue)
        assert stopping.processes[0].wait(timeout=patient(120)) == 75, "stopped right after the platform took it"
        yield Stopped(case_id, app, workers, tuple(share))
    finally:
        workers.stop()
        app.close()


def test_a_case_whose_lease_runs_out_is_taken_over_and_found_on_the_platform_not_filed_again(
    world: World, platform_url: str, gateway: str, broker_url: str, redis_url: str, queue: str
) -> None:
    with stopped_after_submit(world, platform_url, gateway, broker_url, redis_url, queue) as stopped:
        case_id, share = stopped.case_id, stopped.share
        held = world.case(case_id)
        lane = str(held["claimed_by"]).split("/")[0]
        # Its lane still held, the round looks alive (stalled, say): only its lease running out frees the case.
        with alone(world.engine, lane, "a stalled round"):
            stopped.workers.start()  # the task, never acknowledged, comes back to this one
            wait_for(lambda: any(run["status"] == "ok" for run in bot_runs(world.engine)), "the redelivered round")
            while_held = world.case(case_id)["state"]
            with world.engine.begin() as connection:  # an hour later
                connection.execute(update(cases).where(cases.c.id == case_id).values(lease_until=datetime.now(UTC)))
            stopped.app.send_task(share[0], args=share[1:], queue=queue)  # the scheduler's next beat
            wait_for(lambda: world.case(case_id)["state"] != "consented", "taken over")

    assert held["state"] == "consented" and held["platform_ref"] is not None
    assert while_held == "consented", "a live lease keeps the case from every other worker"
    assert [application["reference"] for application in platform_applications(platform_url)] == [held["platform_ref"]]
    assert world.case(case_id)["state"] == "prefilled"
    assert bot_runs(world.engine)[-1]["counts"]["prefill"] == {"found": 1}, "searched first: found, not filed again"


def test_a_killed_workers_cases_are_free_at_once_its_lane_being_free(
    world: World, platform_url: str, gateway: str, broker_url: str, redis_url: str, queue: str
) -> None:
    with stopped_after_submit(world, platform_url, gateway, broker_url, redis_url, queue) as stopped:
        case_id = stopped.case_id
        stopped.workers.start()  # the redelivered task: the dead round's lane is free, so is its case, leased or not
        wait_for(lambda: world.case(case_id)["state"] != "consented", "taken over")
        wait_for(lambda: all(run["status"] != "running" for run in bot_runs(world.engine)), "the runs closed")

    runs = bot_runs(world.engine)
    assert len(platform_applications(platform_url)) == 1 and world.case(case_id)["state"] == "prefilled"
    assert runs[0]["status"] == "interrupted", "the dead worker's run, closed by the round that took its lane's cases"
    assert runs[-1]["counts"]["prefill"] == {"found": 1}


def test_with_a_broker_the_service_queues_each_matters_due_cases_in_shares_the_notices_and_the_letters(
    world: World, broker_url: str, queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.seamless(5, open_on=datetime.now(ZoneInfo("Asia/Shanghai")).date())  # due on the platform's day
    settings = {
        "PROACTIVE_DATABASE_URL": world.engine.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(world.folder),
        "PROACTIVE_PLATFORM__BASE_URL": "http://127.0.0.1:9",
        "PROACTIVE_PLATFORM__PASSWORD": PASSWORD,
        "PROACTIVE_WORKERS__BROKER_URL": broker_url,
        "PROACTIVE_WORKERS__QUEUE": queue,
        "PROACTIVE_WORKERS__CASES_PER_TASK": "2",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    entries = {job.id: job.entry for job in scheduled_jobs(Runtime(load_settings()))}

    for job_id in (jobs.BOTS_JOB_ID, jobs.NOTIFY_JOB_ID, jobs.LETTERS_JOB_ID):
        ref_to_obj(entries[job_id])()  # the scheduler's firing

    share = [PREFILL, "http://127.0.0.1:9", MATTER, 2]
    expected = [share, share, share, [STATUS_SYNC], [NOTIFY], [LETTERS]]  # 5 cases due: three shares of two
    assert sorted(queued_tasks(broker_url, queue, 6), key=str) == sorted(expected, key=str)
    assert entries[jobs.REFRESH_JOB_ID] == "agent.jobs:scheduled_refresh"


def queued_tasks(broker_url: str, queue: str, count: int) -> list[list[Any]]:
    """The next `count` tasks on the queue, each its name and arguments, taken off it."""
    tasks: list[list[Any]] = []
    deadline = time.monotonic() + patient(10)
    with kombu.Connection(broker_url) as connection:
        channel = connection.default_channel
        while len(tasks) < count and time.monotonic() < deadline:
            message = channel.basic_get(queue, no_ack=True)
            if message is None:
                time.sleep(0.1)
                continue
            args, _, _ = json.loads(message.body)  # Celery's message: [args, kwargs, embed], as JSON
            tasks.append([message.headers["task"], *args])
    return tasks
