"""Failed attempts' screenshots and traces: readable by the service's user only, the trace without the platform
session's cookie, and deleted after the keeping period unless their case is still parked."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, update

from bots.evidence import prune_evidence
from bots.prefill import prefill_seamless
from bots.trace_scrub import scrub_trace
from ground.outside_work.policy import RetryPolicy
from ground.store.tables import subjects
from tests.bots.conftest import FAST, World, now
from tests.subsidies.world import add_subject, add_subsidy_case

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def evidence(folder: Path, name: str, age_days: int) -> Path:
    path = folder / name
    path.write_bytes(b"screenshot or trace")
    moment = (NOW - timedelta(days=age_days)).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_old_evidence_goes_but_a_parked_case_keeps_its_own(sqlite_store: Engine, tmp_path: Path) -> None:
    subject = add_subject(sqlite_store, 1)
    parked = add_subsidy_case(sqlite_store, subject, state="parked")
    moved_on = add_subsidy_case(sqlite_store, subject, policy_id="other_policy", state="approved")
    kept_parked = evidence(tmp_path, f"case-{parked}-prefill-3.trace.zip", age_days=200)
    old = evidence(tmp_path, f"case-{moved_on}-prefill-1.png", age_days=91)
    recent = evidence(tmp_path, f"case-{moved_on}-prefill-2.png", age_days=89)

    deleted = prune_evidence(sqlite_store, tmp_path, keep_days=90, now=NOW)

    assert deleted == 1 and not old.exists()
    assert kept_parked.exists() and recent.exists()


def header_names(trace: zipfile.ZipFile) -> set[str]:
    """Every header name in the trace's network log, lower case."""
    found: set[str] = set()
    for line in trace.read("trace.network").splitlines():
        snapshot = json.loads(line).get("snapshot", {})
        for part in ("request", "response"):
            found |= {header["name"].lower() for header in snapshot.get(part, {}).get("headers", [])}
    return found


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def refused_case(world: World) -> None:
    """A seamless case with a registry value the platform refuses: its attempt fails and its evidence is kept."""
    [case_id] = world.seamless(1)
    with world.engine.begin() as connection:
        subject_key = world.case(case_id)["subject_key"]
        connection.execute(
            update(subjects).where(subjects.c.subject_key == subject_key).values(credit_code="91150624MA0000000X")
        )


def test_a_kept_trace_holds_no_session_cookie_and_only_its_owner_reads_the_evidence(
    world: World, platform_url: str
) -> None:
    refused_case(world)
    platform = world.platform(platform_url)

    report = prefill_seamless(world.engine, platform, FAST, now)

    assert report.parked == 1
    [cookie] = json.loads(platform.state_file.read_text(encoding="utf-8"))["cookies"]
    [trace_path] = platform.trace_dir.glob("*.trace.zip")
    with zipfile.ZipFile(trace_path) as trace:
        assert "accept" in header_names(trace), "the network log is there, with its other headers"
        assert not header_names(trace) & {"cookie", "set-cookie", "authorization"}
        assert all(cookie["value"].encode() not in trace.read(name) for name in trace.namelist())
    assert mode(platform.trace_dir) == 0o700
    assert {mode(path) for path in platform.trace_dir.iterdir()} == {0o600}, "the screenshot and the trace"


def test_an_authorization_header_is_taken_out_of_a_trace() -> None:
    request = {"headers": [{"name": "Authorization", "value": "Bearer abc"}, {"name": "Accept", "value": "*/*"}]}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as trace:
        trace.writestr("trace.network", json.dumps({"snapshot": {"request": request}}) + "\n")

    with zipfile.ZipFile(io.BytesIO(scrub_trace(archive.getvalue(), []))) as scrubbed:
        assert header_names(scrubbed) == {"accept"}
        assert b"Bearer abc" not in scrubbed.read("trace.network")


@pytest.mark.parametrize("screencast", [False, True])
def test_a_kept_trace_holds_the_pages_as_dom_snapshots_and_a_filmstrip_only_when_asked(
    world: World, platform_url: str, screencast: bool
) -> None:
    refused_case(world)
    platform = replace(world.platform(platform_url), trace_screencast=screencast)

    assert prefill_seamless(world.engine, platform, FAST, now).parked == 1

    [trace_path] = platform.trace_dir.glob("*.trace.zip")
    with zipfile.ZipFile(trace_path) as trace:
        events = [json.loads(line) for line in trace.read("trace.trace").splitlines()]
    kinds = {event.get("type") for event in events}
    assert "frame-snapshot" in kinds, "each step's page is in the trace, as the trace viewer shows it"
    assert ("screencast-frame" in kinds) is screencast
    assert list(platform.trace_dir.glob("*.png")), "the failure's own screenshot is kept either way"


def test_with_first_tries_untraced_a_case_keeps_its_screenshots_and_only_its_retry_is_traced(
    world: World, platform_url: str
) -> None:
    world.seamless(1)
    platform = replace(world.platform(platform_url), trace_first_try=False)
    httpx.post(f"{platform_url}/_sandbox/faults", json={"error_rate": 1.0, "error_paths": ["/applications/new/"]})
    try:
        report = prefill_seamless(world.engine, platform, RetryPolicy(max_attempts=2, backoff_seconds=0), now)
    finally:
        httpx.post(f"{platform_url}/_sandbox/faults", json={"error_rate": 0.0})

    assert report.outcomes == {"transient": 1}
    screenshots = sorted(path.name.removesuffix(".png") for path in platform.trace_dir.glob("*.png"))
    traces = [path.name.removesuffix(".trace.zip") for path in platform.trace_dir.glob("*.trace.zip")]
    assert len(screenshots) == 2, "each failed try keeps what the page showed"
    assert traces == screenshots[1:], "the retry's trace, not the first try's"
