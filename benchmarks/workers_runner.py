"""The workers suite: pre-fills per minute and CPU seconds per case with 1, 2 and 4 `proactive worker` processes on
RabbitMQ against the sandbox platform, beside the in-process bot round in the same run.

One county is loaded into PostgreSQL and scanned once; each row takes fresh food licence cases of it (seamless, the
holder consenting, the window open today) and a fresh platform process, and files them with `CONCURRENCY` pages at
once. The in-process row is the service's own bot round (`agent.jobs.bot_round`) in a process of its own; a workers
row starts the workers, waits until each answers, then enqueues the food renewals' pre-fill in one share per
worker (as the scheduler does on its beat, `cases_per_task` set so) until every case of the row is filed. CPU
seconds are the whole machine's busy time over the row (`benchmarks.cpu`): workers, browsers, the platform,
RabbitMQ and PostgreSQL; on a shared machine, others' work too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from celery import Celery
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, make_url, select, text

from agent.workers import celery_app, prefill_tasks
from benchmarks.cpu import machine_busy
from benchmarks.seeding import route_seamless
from domain.licence_types import load_licence_types
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from domain.scan.run import run_scan
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.settings import WorkerSettings
from ground.store import open_store
from ground.store.tables import cases, job_runs
from sandbox.platform.process import platform_process
from sandbox.registry import generate_county

POSTGRES_URL = os.environ.get("PROACTIVE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BROKER_URL = os.environ.get("PROACTIVE_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_URL = os.environ.get("PROACTIVE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DATABASE = "proactive_bench_workers"
COUNTY = 3_000  # licences
CASES, QUICK_CASES = 40, 12  # per row
WORKER_COUNTS = (1, 2, 4)
CONCURRENCY = 3  # pages at once: the platform's limit, held across the workers
BEAT_SECONDS = 10  # the scheduler's beat in the rows (the service's is `prefill_minutes`)
MATTER = "food_renewal"  # the standard profile's form for the food licence renewals the rows file
PASSWORD = "agent-pass"  # the sandbox platform's default applicant account
ZONE = ZoneInfo("Asia/Shanghai")
# The service's own bot round, as it runs without workers, in a process of its own.
IN_PROCESS = (
    "from agent import jobs\n"
    "from agent.runtime import Runtime\n"
    "from ground.settings import load_settings\n"
    "jobs.bot_round(Runtime(load_settings()), ignore_hours=True, steps=('prefill',), kinds=('renewal',))\n"
)
LOADS = (("county_subjects", "subjects.csv"), ("county_licences", "licences.csv"))


@dataclass(frozen=True)
class WorkersRow:
    name: str
    cases: int
    filed: int
    seconds: float
    cpu_seconds: float
    rounds_seconds: float  # the filing itself: the rounds' first start to their last end

    @property
    def per_minute(self) -> float:
        return 60 * self.filed / self.seconds

    @property
    def per_minute_in_rounds(self) -> float:
        return 60 * self.filed / max(self.rounds_seconds, 0.001)

    @property
    def cpu_per_case(self) -> float:
        return self.cpu_seconds / max(self.filed, 1)


def run_workers_suite(root: Path, seed: int, log: Callable[[str], None], quick: bool = False) -> list[WorkersRow]:
    here = root / "workers"
    count = QUICK_CASES if quick else CASES
    url = _fresh_database()
    log(f"[workers] a {COUNTY:,}-licence county into {make_url(url).database}, scanned on today")
    engine = _county(here, url, seed)
    rows = []
    plan: list[tuple[str, int]] = [("in-process bot round", 0), *((f"{n} worker(s)", n) for n in WORKER_COUNTS)]
    for number, (name, workers) in enumerate(plan):
        ids = route_seamless(engine, count, datetime.now(ZONE).date())
        log(f"[workers] {name}: {len(ids)} cases on a fresh platform")
        with platform_process(here / f"platform-{number}.db", "--admin") as platform_url:
            env = _environment(url, here, platform_url, f"proactive-bench-{os.getpid()}-{number}")
            rows.append(_measure(name, engine, ids, partial(_run, env, workers, engine, ids)))
        log(f"[workers] {name}: {rows[-1].seconds:.1f} s, {rows[-1].per_minute:.1f} cases/min")
    engine.dispose()
    return rows


def _measure(name: str, engine: Engine, ids: list[int], run: Callable[[], None]) -> WorkersRow:
    since = datetime.now(UTC)
    busy, started = machine_busy(), time.perf_counter()
    run()
    seconds, cpu = time.perf_counter() - started, machine_busy() - busy
    return WorkersRow(name, len(ids), _filed(engine, ids), seconds, cpu, _rounds_seconds(engine, since))


def _rounds_seconds(engine: Engine, since: datetime) -> float:
    """From the first pre-fill round's start to the last one's end among the row's rounds that took cases (as their
    runs record them): the filing itself, without the processes' and workers' start-up."""
    with engine.connect() as connection:
        runs = connection.execute(
            select(job_runs.c.started_at, job_runs.c.finished_at, job_runs.c.counts).where(
                job_runs.c.started_at >= since, job_runs.c.finished_at.is_not(None)
            )
        ).all()
    worked = [(run.started_at, run.finished_at) for run in runs if (run.counts or {}).get("prefill")]
    return (max(end for _, end in worked) - min(start for start, _ in worked)).total_seconds() if worked else 0.0


def _run(env: dict[str, str], workers: int, engine: Engine, ids: list[int]) -> None:
    if not workers:
        subprocess.run([sys.executable, "-c", IN_PROCESS], env=os.environ | env, check=True)
        return
    settings = WorkerSettings.model_validate({"broker_url": BROKER_URL, "queue": env["PROACTIVE_WORKERS__QUEUE"]})
    app = celery_app(settings)
    share = -(-len(ids) // workers)  # cases_per_task as a deployment would set it: a share for each worker
    with _workers(env, workers, app):
        beat = 0.0
        while _open(engine, ids):  # the scheduler's beat, more often: the shares of what no round has taken yet
            if time.monotonic() - beat >= BEAT_SECONDS:
                beat = time.monotonic()
                free = {MATTER: _free(engine, ids)}
                for name, *args in prefill_tasks(env["PROACTIVE_PLATFORM__BASE_URL"], free, share):
                    app.send_task(name, args=args, queue=settings.queue)
            time.sleep(0.5)
    app.close()


@contextmanager
def _workers(env: dict[str, str], count: int, app: Celery) -> Iterator[None]:
    """`count` workers, started and answering before the block; stopped after it."""
    command = [str(Path(sys.executable).parent / "proactive"), "worker"]
    processes = [
        subprocess.Popen(command, env=os.environ | env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        while len(app.control.ping(timeout=1)) < count:
            time.sleep(0.5)
        yield
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait()


def _environment(url: str, here: Path, platform_url: str, queue: str) -> dict[str, str]:
    return {
        "PROACTIVE_DATABASE_URL": url,
        "PROACTIVE_VAR_DIR": str(here / "var"),
        "PROACTIVE_PLATFORM__BASE_URL": platform_url,
        "PROACTIVE_PLATFORM__PASSWORD": PASSWORD,
        "PROACTIVE_PLATFORM__CONCURRENCY": str(CONCURRENCY),
        "PROACTIVE_PLATFORM__HOURS": "00:00-23:59",
        "PROACTIVE_PLATFORM__DAYS": "every",
        "PROACTIVE_WORKERS__BROKER_URL": BROKER_URL,
        "PROACTIVE_WORKERS__REDIS_URL": REDIS_URL,
        "PROACTIVE_WORKERS__QUEUE": queue,
    }


def _fresh_database() -> str:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=DATABASE).render_as_string(hide_password=False)


def _county(here: Path, url: str, seed: int) -> Engine:
    today = datetime.now(ZONE).date()
    generate_county(here / "exports", COUNTY, seed=seed, as_of=today)
    engine = open_store(url)
    types = load_licence_types()
    for mapping, file_name in LOADS:
        load_export(engine, load_mapping(mapping), types, datetime.now(ZONE), here / "exports" / file_name)
    run_scan(engine, types, WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS), today, datetime.now(ZONE))
    return engine


def _open(engine: Engine, ids: list[int]) -> bool:
    """Whether a case of the row still waits to be filed (not filed, not given up on)."""
    with engine.connect() as connection:
        query = select(cases.c.id).where(cases.c.id.in_(ids), cases.c.state == "consented")
        return connection.execute(query).first() is not None


def _free(engine: Engine, ids: list[int]) -> int:
    """How many of the row's cases wait that no round holds (as the scheduler counts them, `due_matters`)."""
    with engine.connect() as connection:
        query = select(cases.c.id).where(
            cases.c.id.in_(ids), cases.c.state == "consented", cases.c.claimed_by.is_(None)
        )
        return len(connection.execute(query).all())


def _filed(engine: Engine, ids: list[int]) -> int:
    with engine.connect() as connection:
        query = select(cases.c.id).where(cases.c.id.in_(ids), cases.c.state == "prefilled")
        return len(connection.execute(query).all())


def print_workers_report(console: Console, rows: list[WorkersRow]) -> None:
    table = Table(title=f"Workers: pre-fill on the sandbox platform, {CONCURRENCY} pages at once across the workers")
    columns = ("row", "cases filed", "seconds", "cases/min", "rounds' s", "cases/min in rounds")
    for column in (*columns, "machine CPU s per case", "cores busy"):
        table.add_column(column, justify="left" if column == "row" else "right")
    for row in rows:
        cores = row.cpu_seconds / row.seconds
        table.add_row(
            row.name,
            f"{row.filed}/{row.cases}",
            f"{row.seconds:.1f}",
            f"{row.per_minute:.1f}",
            f"{row.rounds_seconds:.1f}",
            f"{row.per_minute_in_rounds:.1f}",
            f"{row.cpu_per_case:.2f}",
            f"{cores:.2f}",
        )
    console.print(table)
