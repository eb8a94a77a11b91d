"""The bots suite's child-process work: the county store prepared once, then one pre-fill run per call.

Every measuring function runs in a spawned process of its own (like `benchmarks.steps`): it copies the prepared
store, routes its cases seamless and starts a fresh sandbox platform (own process, own empty database) before the
clock starts; only the bot's work is timed. `ru_maxrss` is then the bot's own process (Python and the Playwright
client); the browsers and the platform are other processes, sampled apart.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.cpu import TICKS, measured_cpu, proc_stat
from benchmarks.steps import Timed, db_path, peak_mb
from benchmarks.timing import Parts, Patch, timed_parts

SCANNED = "scanned.json"
STORE = "store.db"
PLATFORM_DB = "platform.db"
SANDBOX_ACCOUNT = ("agent", "agent-pass")  # the sandbox platform's seeded applicant (sandbox/platform/README.md)
PROFILE = "standard"
LICENCE_TYPE = "food_business"
MODEL_VERSION = "bench-model"
SCORE = 0.962
REASONS = {"rule": None, "factors": [{"factor": "penalties", "effect": 0.031, "text": "近5年无行政处罚"}]}
SAMPLE_EVERY_S = 0.25
# Where a case's time goes: each name is a function the bots call, timed by a wrapper in the measuring process.
PARTS = ("launch", "login", "find", "file", "trace", "store", "close")


# -- preparing the store (once, cached) ------------------------------------------------------------------------


def scanned(data_dir: str, size: int, seed: int) -> dict[str, Any] | None:
    """The record of a prepared store (loaded and scanned) for this county, if there is one."""
    path = Path(data_dir) / SCANNED
    if not path.exists() or not db_path(Path(data_dir)).exists():
        return None
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    matches = record.get("licences") == size and record.get("seed") == seed and "fileable" in record
    return record if matches else None


# New food licence cases the platform can take: its form needs a contact phone, which about 5 % of the generated
# licences have neither on the licence nor on the subject (the bot parks those, rightly; they are no pre-fill).
FILEABLE = """
    SELECT c.id FROM cases c
    JOIN licences l ON l.licence_no = c.licence_no
    LEFT JOIN subjects s ON s.subject_key = l.subject_key
    WHERE c.kind = 'renewal' AND c.state = 'new' AND c.licence_type = :licence_type
      AND coalesce(l.mobile, s.mobile) IS NOT NULL
    ORDER BY c.id
"""


def record_scan(data_dir: str, size: int, seed: int) -> dict[str, Any]:
    """Count what the scan left for the bots and remember that the store is ready."""
    import sqlite3

    with sqlite3.connect(db_path(Path(data_dir))) as connection:
        by_type = dict(
            connection.execute(
                "SELECT licence_type, count(*) FROM cases WHERE kind = 'renewal' AND state = 'new' GROUP BY 1"
            ).fetchall()
        )
        fileable = len(connection.execute(FILEABLE, {"licence_type": LICENCE_TYPE}).fetchall())
    connection.close()
    record = {
        "licences": size,
        "seed": seed,
        "new_cases": by_type,
        "fileable": fileable,
        "scanned_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (Path(data_dir) / SCANNED).write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return record


def warm_browser() -> float:
    """Launch and close Chromium once, untimed by the suite, so no row pays for a cold page cache."""
    from playwright.sync_api import sync_playwright

    from ground.browser import CHROMIUM, CHROMIUM_ARGS

    started = time.perf_counter()
    with sync_playwright() as playwright:
        playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS).close()
    return time.perf_counter() - started


# -- one measurement ---------------------------------------------------------------------------------------------


@dataclass
class Setup:
    """What a measurement works on: its own copy of the store with `cases` seamless cases, an empty platform."""

    folder: Path
    engine: Any  # sqlalchemy Engine (imported in the child only)
    platform: Any  # bots.session.Platform
    case_ids: list[int]


def prefill(
    data_dir: str, work_dir: str, cases: int, concurrency: int, trace: str = "snapshots", profile: str = PROFILE
) -> Timed:
    """The pre-fill bot (`bots.prefill.prefill_seamless`): one browser for the whole batch, `concurrency` pages in
    it. `trace` is the per-attempt trace: "snapshots" as shipped, "screencast" with the filmstrip too (the
    `trace_screencast` setting), "retries" on retries only (the `trace_first_try` setting off). `profile` names the
    sandbox build the platform runs and the bot's profile for it (standard, element)."""
    from bots.prefill import prefill_seamless
    from ground.outside_work.policy import RetryPolicy

    def run(setup: Setup) -> dict[str, Any]:
        platform = replace(setup.platform, trace_screencast=trace == "screencast", trace_first_try=trace != "retries")
        report = prefill_seamless(setup.engine, platform, RetryPolicy(), _now, concurrency)
        return {"outcomes": report.outcomes, "warnings": report.warnings, "stopped_early": report.stopped_early}

    return _measure(data_dir, work_dir, cases, concurrency, run, profile)


def naive(data_dir: str, work_dir: str, cases: int) -> Timed:
    """The baseline: the same steps, retries and bookkeeping, but a new browser, a new login and no saved session
    for every case."""

    def run(setup: Setup) -> dict[str, Any]:
        return {"outcomes": naive_prefill(setup.engine, setup.platform, setup.folder, setup.case_ids)}

    return _measure(data_dir, work_dir, cases, 1, run)


def naive_prefill(engine: Any, platform: Any, folder: Path, case_ids: list[int]) -> dict[str, int]:
    """A bot that launches a browser per case: for each case a new Chromium and a fresh `PlatformSession` in it
    (login from scratch with a state file of its own), file (the reference was written just before: a first try
    need not search), then record the case as pre-filled. Steps, retries and the store's bookkeeping are the real
    bot's (`bots.prefill.prefill_case`)."""
    from sqlalchemy import select

    from bots.application import platform_ref
    from bots.batch import Batch
    from bots.prefill import BOT
    from bots.report import BotReport
    from ground.outside_work.breaker import always
    from ground.outside_work.policy import RetryPolicy
    from ground.store.tables import cases

    batch = Batch(engine, RetryPolicy(), _now, BotReport(bot=BOT), always)
    states = folder / "naive-states"
    for case_id in case_ids:
        with engine.begin() as connection:  # our reference on the case before the browser acts, as the bot does
            connection.execute(cases.update().where(cases.c.id == case_id).values(platform_ref=platform_ref(case_id)))
            columns = (cases.c.kind, cases.c.platform_ref, cases.c.licence_type, cases.c.score, cases.c.model_version)
            row = connection.execute(select(cases.c.id, *columns, cases.c.reasons).where(cases.c.id == case_id))
            case = dict(row.mappings().one()) | {"claimed": True}
        own = replace(platform, state_file=states / f"case-{case_id}.session.json")  # no saved session: log in
        asyncio.run(_naive_case(batch, own, case))
    return batch.report.outcomes


async def _naive_case(batch: Any, platform: Any, case: dict[str, Any]) -> None:
    from bots.prefill import prefill_case
    from bots.session import PlatformSession
    from ground import browser as launcher

    async with launcher.chromium() as browser, PlatformSession(platform, browser) as session:
        await prefill_case(batch, session, case)


def _now() -> datetime:
    return datetime.now(UTC)


def _measure(
    data_dir: str,
    work_dir: str,
    cases: int,
    concurrency: int,
    run: Callable[[Setup], dict[str, Any]],
    profile: str = PROFILE,
) -> Timed:
    import httpx

    from sandbox.platform.process import platform_process

    folder = Path(work_dir)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    setup = _setup(Path(data_dir), folder, cases, profile)
    parts: dict[str, float] = {}
    load_before = round(os.getloadavg()[0], 2)
    with platform_process(folder / PLATFORM_DB, "--admin", "--layout", profile) as url, _timing(parts):
        setup.platform = replace(setup.platform, base_url=url)
        server = _platform_pid()
        with measured_cpu({"platform": server}) as cpu, _sampling(exclude=server) as tree:
            started = time.perf_counter()
            counts = run(setup)
            seconds = time.perf_counter() - started
        counts["cpu"] = {
            "bot": round(cpu.own, 2),
            "browsers": round(cpu.others, 2),  # Playwright's driver and Chromium: the rest of the machine
            "browsers_sampled": round(tree.browsers_cpu, 2),  # the same, read off their own processes
            "platform": round(cpu.servers["platform"], 2),
            "machine": round(cpu.machine, 2),
        }
        applications = list(httpx.get(f"{url}/_sandbox/applications", timeout=30).json())
    setup.engine.dispose()
    references = sorted(str(a.get("reference")) for a in applications)
    expected = sorted(_references(setup))
    counts |= {
        "load_average": [round(os.getloadavg()[0], 2), load_before],
        "cases": cases,
        "concurrency": concurrency,
        "applications": len(applications),
        "applications_match": references == expected,
        "tree_peak_mb": round(tree.peak_mb, 1),
        "parts": {name: round(parts.get(name, 0.0), 3) for name in PARTS},
    }
    return Timed(seconds, peak_mb(), cases, counts)


def _setup(data: Path, folder: Path, count: int, profile: str) -> Setup:
    """A fresh copy of the prepared store with the first `count` fileable new food licence cases routed seamless (as
    scoring would route them), their holders consenting and their windows open today (the bot files nothing else:
    the benchmark measures filing, not the calendar), and the bot's platform account (its base URL comes once the
    platform runs)."""
    from pydantic import SecretStr
    from sqlalchemy import text, update

    from bots.profile import load_profile
    from bots.session import Platform
    from ground.store import open_store
    from ground.store.tables import cases

    store = folder / STORE
    shutil.copyfile(db_path(data), store)
    today = _now().astimezone(ZoneInfo("Asia/Shanghai")).date()
    engine = open_store(f"sqlite:///{store}")
    with engine.begin() as connection:
        ids = list(connection.execute(text(FILEABLE), {"licence_type": LICENCE_TYPE}).scalars())[:count]
        connection.execute(
            update(cases)
            .where(cases.c.id.in_(ids))
            .values(
                state="consented",
                consent="given",
                route="seamless",
                score=SCORE,
                model_version=MODEL_VERSION,
                reasons=REASONS,
                window_opens_on=today - timedelta(days=1),
                window_closes_on=today + timedelta(days=30),
            )
        )
    if len(ids) < count:
        raise RuntimeError(f"the county has only {len(ids)} fileable {LICENCE_TYPE} cases, {count} asked for")
    platform = Platform(
        base_url="http://127.0.0.1:0",
        profile=load_profile(profile),
        username=SANDBOX_ACCOUNT[0],
        password=SecretStr(SANDBOX_ACCOUNT[1]),
        state_file=folder / f"{profile}.session.json",
        trace_dir=folder / "traces",
    )
    return Setup(folder, engine, platform, ids)


def _references(setup: Setup) -> list[str]:
    from bots.application import platform_ref

    return [platform_ref(case_id) for case_id in setup.case_ids]


# -- where the time goes -------------------------------------------------------------------------------------------


@contextmanager
def _timing(into: dict[str, float]) -> Iterator[None]:
    """Wrap what the bots call, in this process only, adding each call's seconds to `into[part]` (summed over the
    sessions working at once). `launch` and `close` are the browser's and the sessions' contexts; `trace` is what
    starting and stopping the per-attempt trace costs around the step itself."""
    from bots import prefill as bot_prefill
    from bots import steps as bot_steps
    from bots.session import PlatformSession
    from ground import browser
    from ground.outside_work import attempts

    parts = Parts(into)
    managers = [
        (bot_prefill, "chromium", "launch", "close"),
        (browser, "chromium", "launch", "close"),  # the naive bot's, looked up at each case
        (PlatformSession, "attempt", "trace", "trace"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _, _ in managers]
    patches: list[Patch] = [
        (PlatformSession, "__aenter__", "launch"),
        (PlatformSession, "__aexit__", "close"),
        (PlatformSession, "ensure_logged_in", "login"),
        (bot_prefill, "find_application", "find"),
        (bot_steps, "find_application", "find"),
        (bot_prefill, "file_application", "file"),
        (bot_steps, "file_application", "file"),
        (attempts, "start", "store"),
        (attempts, "finish", "store"),
        (bot_prefill, "record_prefilled", "store"),
        (bot_prefill, "claim", "store"),
        (bot_prefill, "seamless_cases", "store"),
    ]
    for owner, name, enter_part, exit_part in managers:
        setattr(owner, name, _timed_manager(getattr(owner, name), parts, enter_part, exit_part))
    try:
        with timed_parts(parts, patches):
            yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def _timed_manager(
    opener: Callable[..., AbstractAsyncContextManager[Any]], parts: Parts, enter_part: str, exit_part: str
) -> Callable[..., AbstractAsyncContextManager[Any]]:
    """`opener` (a function returning an async context manager), with entering and leaving its block timed."""

    @asynccontextmanager
    async def timed(*args: Any) -> AsyncIterator[Any]:
        manager = opener(*args)
        started = time.perf_counter()
        value = await manager.__aenter__()
        parts.add(enter_part, time.perf_counter() - started)
        try:
            yield value
        except BaseException as exc:
            started = time.perf_counter()
            try:
                if not await manager.__aexit__(type(exc), exc, exc.__traceback__):
                    raise
            finally:
                parts.add(exit_part, time.perf_counter() - started)
        else:
            started = time.perf_counter()
            await manager.__aexit__(None, None, None)
            parts.add(exit_part, time.perf_counter() - started)

    return timed


# -- processes: memory from /proc --------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = proc_stat(int(entry.name))
            if fields is not None:
                tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(root: int, exclude: int | None) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += [child for child in tree.get(pid, []) if child != exclude]
    return found


def _platform_pid() -> int | None:
    for pid in _children().get(os.getpid(), []):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"sandbox.platform" in command:
            return pid
    return None


def _memory_mb(pid: int) -> float:
    """Proportional set size (shared pages split between the processes sharing them), else resident size."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return resident * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


@dataclass
class TreeSample:
    """Sampled over a run, the platform excluded: the peak memory of this process and every process under it, and
    the CPU seconds of the processes under it (the browsers: Playwright's driver, Chromium and every process it
    forks), each process's as last seen alive, so a shared machine's other work is not in it. A floor: a process's
    last quarter second before it exits is missed."""

    peak_mb: float = 0.0
    cpu: dict[tuple[int, str], float] = field(default_factory=dict)  # (pid, start time) → CPU seconds

    @property
    def browsers_cpu(self) -> float:
        return sum(self.cpu.values())

    def take(self, exclude: int | None) -> None:
        pids = _descendants(os.getpid(), exclude)
        self.peak_mb = max(self.peak_mb, sum(_memory_mb(pid) for pid in pids))
        for pid in pids[1:]:  # this process is counted on its own (`measured_cpu`)
            fields = proc_stat(pid)
            if fields is not None:  # utime, stime; the start time tells a reused pid apart
                self.cpu[(pid, fields[19])] = (int(fields[11]) + int(fields[12])) / TICKS


@contextmanager
def _sampling(exclude: int | None) -> Iterator[TreeSample]:
    """Memory and the browsers' CPU of the processes under this one, sampled until the block ends."""
    sampled = TreeSample()
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(SAMPLE_EVERY_S):
            sampled.take(exclude)

    sampler = threading.Thread(target=sample, name="tree-sampler", daemon=True)
    sampler.start()
    try:
        yield sampled
    finally:
        stop.set()
        sampler.join()
