"""The same bots on the sandbox's three builds, by profile only: filing, search-first after a kill, status sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bots.prefill import prefill_seamless
from bots.status_sync import sync_statuses
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from sandbox.scripted_approver import decide_all
from tests.bots.conftest import FAST, PASSWORD, World, now, prefill_killed_at
from tests.platform.conftest import FOOD
from tests.platform.element import ElementPortal

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


def test_each_build_files_with_its_profile_and_reads_the_decisions_back(world: World, build: tuple[str, str]) -> None:
    profile, url = build
    ids = world.seamless(2)

    filed = prefill_seamless(world.engine, world.platform(url, profile), FAST, now)
    before = sync_statuses(world.engine, world.platform(url, profile), FAST, now)
    decide_all(url, "approver", "approver-pass", return_every=2, layout=profile)
    after = sync_statuses(world.engine, world.platform(url, profile), FAST, now)

    assert filed.outcomes == {"filed": 2}, filed.warnings
    on_platform = {a["reference"]: a for a in applications(url)}
    for case_id in ids:
        case = world.case(case_id)
        assert on_platform[case["platform_ref"]]["application_no"] == case["application_no"]
    assert before.outcomes == {"pending": 2}, before.warnings
    assert after.outcomes == {"approved": 1, "returned": 1}, after.warnings
    returned = next(world.case(i) for i in ids if world.case(i)["state"] == "returned")
    assert returned["route"] == "assisted"


def test_a_kill_after_submitting_on_a_paged_split_table_files_once(world: World, tmp_path: Path) -> None:
    """Twelve applications already listed (two pages of ten): the one the killed run filed is found by search."""
    settings = PlatformSettings(
        db_path=tmp_path / "paged.db", layout="element", admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        with httpx.Client(base_url=url) as client:
            portal = ElementPortal(client)
            assert portal.login(password=PASSWORD)["code"] == 200
            for n in range(12):
                portal.file("food_renewal", FOOD | {"reference": f"OTHER-{n:04d}"})
        [case_id] = world.seamless(1)
        killed = prefill_killed_at(world, url, profile="element")
        assert killed.returncode == 75, killed.stderr.decode()[-2000:]
        assert len(applications(url)) == 13

        again = prefill_seamless(world.engine, world.platform(url, "element"), FAST, now)
        synced = sync_statuses(world.engine, world.platform(url, "element"), FAST, now)

        assert again.outcomes == {"found": 1}, again.warnings
        assert len(applications(url)) == 13
        ours = [a for a in applications(url) if a["reference"] == world.case(case_id)["platform_ref"]]
        assert [a["application_no"] for a in ours] == [world.case(case_id)["application_no"]]
        assert synced.outcomes == {"pending": 1}, synced.warnings
