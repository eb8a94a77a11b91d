"""A county in a store with some seamless cases, and the sandbox platform on loopback for the bots to work on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, select

from benchmarks.seeding import route_seamless
from bots.profile import load_profile
from bots.session import Platform
from domain.licence_types import load_licence_types
from domain.scan.run import run_scan
from ground import failpoints
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.outside_work.policy import RetryPolicy
from ground.store.tables import cases
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.conftest import patient
from tests.models.conftest import load_county

AS_OF = date(2026, 11, 25)
PASSWORD = "agent-pass-7f3k"
FAST = RetryPolicy(max_attempts=4, backoff_seconds=0, breaker_threshold=3, park_after=20)


# The bots' clock: the county's as-of day, moving on with real time from the moment the tests started (the platform's
# day decides which renewal windows are open, and attempts must keep their order).
STARTED = datetime.now(UTC)
AS_OF_MORNING = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def now() -> datetime:
    return (AS_OF_MORNING + (datetime.now(UTC) - STARTED)).astimezone(UTC)


# A pre-fill run in a process of its own, so that the failpoint can kill it. Its leases run out at once: the next
# round takes its cases as it would once a killed round's leases had run out (tests/test_workers.py waits them out).
PREFILL_SCRIPT = (
    "import sys\n"
    "from pathlib import Path\n"
    "from ground.store import open_store\n"
    "from bots.prefill import prefill_seamless\n"
    "from tests.bots.conftest import FAST, World, now\n"
    "world = World(open_store(sys.argv[1]), Path(sys.argv[2]))\n"
    "prefill_seamless(world.engine, world.platform(sys.argv[3], sys.argv[4]), FAST, now, lease_seconds=0)\n"
)


def prefill_killed_at(
    world: World, platform_url: str, failpoint: str = failpoints.AFTER_SUBMIT, profile: str = "standard"
) -> subprocess.CompletedProcess[bytes]:
    """A pre-fill run that dies at `failpoint`: by default right after the platform accepted an application,
    before our commit."""
    store_url = world.engine.url.render_as_string(hide_password=False)
    return subprocess.run(
        [sys.executable, "-c", PREFILL_SCRIPT, store_url, str(world.folder), platform_url, profile],
        env=os.environ | {"PROACTIVE_FAILPOINT": failpoint},
        capture_output=True,
        timeout=patient(120),
        check=False,
    )


@dataclass
class World:
    engine: Engine
    folder: Path

    def seamless(self, count: int, state: str = "consented", open_on: date = AS_OF) -> list[int]:
        """Route `count` food licence cases seamless whose window is open on AS_OF (as scoring would), their
        holders consenting (or in `state`), and return their ids; with another `open_on`, open on that day."""
        return route_seamless(self.engine, count, AS_OF, state, open_on)

    def platform(self, base_url: str, profile: str = "standard") -> Platform:
        return Platform(
            base_url=base_url,
            profile=load_profile(profile),
            username="agent",
            password=SecretStr(PASSWORD),
            state_file=self.folder / f"{profile}.session.json",
            trace_dir=self.folder / "traces",
            timeout_ms=int(patient(6_000)),
        )

    def case(self, case_id: int) -> dict[str, Any]:
        with self.engine.connect() as connection:
            return dict(connection.execute(select(cases).where(cases.c.id == case_id)).mappings().one())


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    engine = load_county(tmp_path, 1200, seed=21)
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    run_scan(engine, load_licence_types(), calendar, AS_OF, now())
    yield World(engine, tmp_path)
    engine.dispose()


@pytest.fixture
def platform_settings(tmp_path: Path) -> PlatformSettings:
    # The bot's saved session must outlive the slowest test: only the faults a test sets may expire it.
    ttl = int(patient(3600))
    return PlatformSettings(db_path=tmp_path / "platform.db", admin=True, applicant_password=PASSWORD, session_ttl=ttl)


@pytest.fixture
def platform_url(platform_settings: PlatformSettings) -> Iterator[str]:
    with serving(platform_settings) as url:
        yield url


BUILDS = ["standard", "alternate", "element"]


@pytest.fixture(params=BUILDS)
def build(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A platform of each build, with the profile written for it."""
    layout = str(request.param)
    settings = PlatformSettings(
        db_path=tmp_path / f"{layout}.db", layout=layout, admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        yield layout, url


def applications(base_url: str) -> list[dict[str, object]]:
    return list(httpx.get(f"{base_url}/_sandbox/applications").json())
