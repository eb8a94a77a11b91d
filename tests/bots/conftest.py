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

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, select, update

from agent import failpoints
from agent.calendar import UnknownYearPolicy, WorkingDayCalendar
from agent.licence_types import load_licence_types
from agent.scan.run import run_scan
from agent.store.tables import cases
from bots.profile import load_profile
from bots.runner import RetryPolicy
from bots.session import Platform
from sandbox.platform import PlatformSettings, serving
from tests.models.conftest import load_county

AS_OF = date(2026, 11, 25)
PASSWORD = "agent-pass-7f3k"
FAST = RetryPolicy(max_attempts=4, backoff_seconds=0, breaker_threshold=3, park_after=20)
REASONS = {"rule": None, "factors": [{"factor": "penalties", "effect": 0.031, "text": "近5年无行政处罚"}]}


def now() -> datetime:
    return datetime.now(UTC)


# A pre-fill run in a process of its own, so that the failpoint can kill it.
PREFILL_SCRIPT = (
    "import sys\n"
    "from pathlib import Path\n"
    "from agent.store import open_store\n"
    "from bots.runner import prefill_seamless\n"
    "from tests.bots.conftest import FAST, World, now\n"
    "world = World(open_store(sys.argv[1]), Path(sys.argv[2]))\n"
    "prefill_seamless(world.engine, world.platform(sys.argv[3]), FAST, now)\n"
)


def prefill_killed_at(
    world: World, platform_url: str, failpoint: str = failpoints.AFTER_SUBMIT
) -> subprocess.CompletedProcess[bytes]:
    """A pre-fill run that dies at `failpoint`: by default right after the platform accepted an application,
    before our commit."""
    store_url = world.engine.url.render_as_string(hide_password=False)
    return subprocess.run(
        [sys.executable, "-c", PREFILL_SCRIPT, store_url, str(world.folder), platform_url],
        env=os.environ | {"PROACTIVE_FAILPOINT": failpoint},
        capture_output=True,
        timeout=120,
        check=False,
    )


@dataclass
class World:
    engine: Engine
    folder: Path

    def seamless(self, count: int) -> list[int]:
        """Route `count` food licence cases seamless (as scoring would) and return their ids."""
        with self.engine.begin() as connection:
            ids = list(
                connection.execute(
                    select(cases.c.id)
                    .where(cases.c.licence_type == "food_business", cases.c.state == "new")
                    .order_by(cases.c.id)
                    .limit(count)
                ).scalars()
            )
            connection.execute(
                update(cases)
                .where(cases.c.id.in_(ids))
                .values(state="routed", route="seamless", score=0.962, model_version="test-model", reasons=REASONS)
            )
        return ids

    def platform(self, base_url: str, profile: str = "standard") -> Platform:
        return Platform(
            base_url=base_url,
            profile=load_profile(profile),
            username="agent",
            password=SecretStr(PASSWORD),
            state_file=self.folder / f"{profile}.session.json",
            trace_dir=self.folder / "traces",
            timeout_ms=6_000,
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
    return PlatformSettings(db_path=tmp_path / "platform.db", admin=True, applicant_password=PASSWORD)


@pytest.fixture
def platform_url(platform_settings: PlatformSettings) -> Iterator[str]:
    with serving(platform_settings) as url:
        yield url
