"""The pre-fill bot on the sandbox platform: one application per case from registry data, whatever happens."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bots.prefill import prefill_seamless
from bots.session import PlatformSession
from ground import failpoints
from ground.outside_work.policy import RetryPolicy
from ground.store.tables import bot_attempts, case_transitions, licences, subjects
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.bots.conftest import FAST, PASSWORD, World, now, prefill_killed_at


def applications(base_url: str) -> list[dict[str, object]]:
    return list(httpx.get(f"{base_url}/_sandbox/applications").json())


def test_each_seamless_case_is_filed_once_from_the_registry_and_a_rerun_files_nothing(
    world: World, platform_url: str
) -> None:
    ids = world.seamless(3)

    first = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)
    second = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    assert (first.outcomes, second.cases) == ({"filed": 3}, 0)
    filed = {a["reference"]: a for a in applications(platform_url)}
    assert len(filed) == 3
    for case_id in ids:
        case = world.case(case_id)
        assert case["state"] == "prefilled" and case["application_no"] == filed[case["platform_ref"]]["application_no"]
        with world.engine.connect() as connection:
            licence = connection.execute(select(licences).where(licences.c.licence_no == case["licence_no"])).one()
        data = filed[case["platform_ref"]]["data"]
        assert isinstance(data, dict)
        assert (data["licence_no"], data["holder_name"], data["expires_on"]) == (
            licence.licence_no,
            licence.holder_name,
            f"{licence.expires_on:%Y-%m-%d}",
        )
        assert data["business_items"] == licence.business_items.split(";")
        assert data["cite_food_licence"] is True, "the electronic licence is cited, not a paper copy"
        assert "无感续证评分 0.962" in data["remark"] and "近5年无行政处罚" in data["remark"]
        assert "按默认预填的项目：是否开展网络经营（否）" in data["remark"], "assumed answers are named as such"


def test_another_platform_build_needs_only_its_own_profile(world: World, tmp_path: Path) -> None:
    world.seamless(2)
    settings = PlatformSettings(
        db_path=tmp_path / "alt.db", layout="alternate", admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        report = prefill_seamless(world.engine, world.platform(url, profile="alternate"), FAST, now)
        assert report.outcomes == {"filed": 2}
        assert len(applications(url)) == 2


def test_a_crash_after_submitting_never_leads_to_a_second_application(world: World, platform_url: str) -> None:
    [case_id] = world.seamless(1)
    crashed = prefill_killed_at(world, platform_url)
    assert crashed.returncode == 75, crashed.stderr.decode()[-2000:]
    assert world.case(case_id)["state"] == "consented", "the crash came before our commit"
    assert len(applications(platform_url)) == 1

    again = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    assert again.outcomes == {"found": 1}
    assert len(applications(platform_url)) == 1
    assert world.case(case_id)["application_no"] == applications(platform_url)[0]["application_no"]


def test_a_crash_with_the_form_filled_but_not_submitted_files_once_on_the_next_run(
    world: World, platform_url: str
) -> None:
    [case_id] = world.seamless(1)
    crashed = prefill_killed_at(world, platform_url, failpoints.BEFORE_SUBMIT)
    assert crashed.returncode == 75, crashed.stderr.decode()[-2000:]
    assert applications(platform_url) == [] and world.case(case_id)["state"] == "consented"

    again = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    assert again.outcomes == {"filed": 1} and len(applications(platform_url)) == 1
    assert world.case(case_id)["application_no"] == applications(platform_url)[0]["application_no"]


def test_server_errors_and_lost_answers_are_retried_without_duplicates(world: World, tmp_path: Path) -> None:
    world.seamless(3)
    settings = PlatformSettings(
        db_path=tmp_path / "faulty.db",
        error_rate=0.06,
        error_phase="after",
        seed=4,
        admin=True,
        applicant_password=PASSWORD,
    )
    with serving(settings) as url:
        report = prefill_seamless(
            world.engine, world.platform(url), RetryPolicy(max_attempts=8, backoff_seconds=0), now
        )
        references = [str(a["reference"]) for a in applications(url)]
    with world.engine.connect() as connection:
        outcomes = list(connection.execute(select(bot_attempts.c.outcome)).scalars())
    assert report.done == 3 and report.parked == 0
    assert sorted(references) == sorted(set(references)) and len(references) == 3
    assert "transient" in outcomes, "the injected errors were met and retried"


def test_pages_at_work_at_once_in_one_browser_file_each_case_once_through_lost_answers(
    world: World, tmp_path: Path
) -> None:
    ids = world.seamless(5)
    faults = {"error_rate": 0.05, "error_phase": "after", "seed": 7}  # answers lost after the platform acted
    settings = PlatformSettings(db_path=tmp_path / "busy.db", admin=True, applicant_password=PASSWORD, **faults)
    with serving(settings) as url:
        policy = RetryPolicy(max_attempts=8, backoff_seconds=0)
        report = prefill_seamless(world.engine, world.platform(url), policy, now, concurrency=3)
        references = sorted(str(a["reference"]) for a in applications(url))
    with world.engine.connect() as connection:
        outcomes = list(connection.execute(select(bot_attempts.c.outcome)).scalars())
    assert report.done == 5 and report.parked == 0
    assert "transient" in outcomes, "the injected errors were met and retried"
    assert references == sorted(world.case(case_id)["platform_ref"] for case_id in ids)


def test_an_expiring_session_and_slow_pages_are_survived(world: World, tmp_path: Path) -> None:
    world.seamless(2)
    settings = PlatformSettings(
        db_path=tmp_path / "expiring.db", expire_every=14, slow_ms=150, seed=2, admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        report = prefill_seamless(world.engine, world.platform(url), FAST, now)
        assert len(applications(url)) == 2
    with world.engine.connect() as connection:
        errors = list(
            connection.execute(select(bot_attempts.c.error).where(bot_attempts.c.error.is_not(None))).scalars()
        )
    assert report.done == 2
    assert any("session expired" in error for error in errors), "the platform did log the bot out on the way"


def test_a_platform_that_is_down_stops_each_run_and_parks_nobody_however_long_it_lasts(
    world: World, tmp_path: Path
) -> None:
    world.seamless(5)
    settings = PlatformSettings(db_path=tmp_path / "down.db", error_rate=1.0, admin=True, applicant_password=PASSWORD)
    policy = RetryPolicy(max_attempts=2, backoff_seconds=0, breaker_threshold=2, park_after=3)
    with serving(settings) as url:
        reports = [prefill_seamless(world.engine, world.platform(url), policy, now) for _ in range(3)]
    with world.engine.connect() as connection:
        outcomes = set(connection.execute(select(bot_attempts.c.outcome)).scalars())
    for report in reports:
        assert report.stopped_early and report.parked == 0 and report.left_for_later == 5
        assert any("looks down" in warning for warning in report.warnings)
    assert outcomes == {"outage"}, "the failures were the platform's: they do not count towards parking a case"


def test_a_refused_login_stops_the_round_before_any_case_is_tried(world: World, platform_url: str) -> None:
    ids = world.seamless(3)
    platform = replace(world.platform(platform_url), password=SecretStr("a-password-since-changed"))

    report = prefill_seamless(world.engine, platform, FAST, now)

    assert report.stopped_early and report.left_for_later == 3 and report.parked == 0
    assert any("refused the bot's login" in warning for warning in report.warnings)
    assert applications(platform_url) == [] and {world.case(i)["state"] for i in ids} == {"consented"}
    with world.engine.connect() as connection:
        assert connection.execute(select(bot_attempts)).all() == [], "no case was tried with the refused account"


def test_an_option_list_that_failed_to_load_is_tried_again_not_taken_for_a_refusal(
    world: World, platform_url: str
) -> None:
    [case_id] = world.seamless(1)
    httpx.post(f"{platform_url}/_sandbox/faults", json={"error_rate": 1.0, "error_paths": ["/api/"]})
    policy = RetryPolicy(max_attempts=2, backoff_seconds=0)

    failing = prefill_seamless(world.engine, world.platform(platform_url), policy, now)
    with world.engine.connect() as connection:
        errors = list(connection.execute(select(bot_attempts.c.error)).scalars())
    httpx.post(f"{platform_url}/_sandbox/faults", json={"error_rate": 0.0})
    mended = prefill_seamless(world.engine, world.platform(platform_url), policy, now)

    assert failing.outcomes == {"transient": 1} and failing.parked == 0, "a passing fault, not a refusal"
    assert all("选项加载失败" in str(error) or "did not load" in str(error) for error in errors)
    assert mended.outcomes == {"filed": 1} and world.case(case_id)["state"] == "prefilled"


def test_data_the_platform_refuses_parks_the_case_with_evidence_and_no_password_in_the_trace(
    world: World, platform_url: str
) -> None:
    [case_id] = world.seamless(1)
    with world.engine.begin() as connection:  # a registry value the platform will not accept
        subject_key = world.case(case_id)["subject_key"]
        connection.execute(
            update(subjects).where(subjects.c.subject_key == subject_key).values(credit_code="91150624MA0000000X")
        )

    report = prefill_seamless(world.engine, world.platform(platform_url), FAST, now)

    case = world.case(case_id)
    assert report.parked == 1 and case["state"] == "parked"
    assert "统一社会信用代码" in case["parked_reason"]
    with world.engine.connect() as connection:
        evidence = connection.execute(
            select(case_transitions.c.details).where(case_transitions.c.new_state == "parked")
        ).scalar_one()
    assert Path(evidence["screenshot"]).stat().st_size > 0
    with zipfile.ZipFile(evidence["trace"]) as trace:
        assert all(PASSWORD.encode() not in trace.read(name) for name in trace.namelist())


def test_a_round_stops_taking_cases_when_the_hours_end_and_the_rest_wait(world: World, platform_url: str) -> None:
    world.seamless(3)
    answers = iter([True])  # the hours end once the first case is done
    platform = world.platform(platform_url)

    report = prefill_seamless(world.engine, platform, FAST, now, keep_going=lambda: next(answers, False))

    assert report.outcomes == {"filed": 1} and report.left_for_later == 2 and report.stopped_early
    assert any("hours ended" in warning for warning in report.warnings)
    assert len(applications(platform_url)) == 1


def test_the_saved_session_is_reused_across_runs_until_the_platform_no_longer_knows_it(
    world: World, platform_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    world.seamless(3)
    logins: list[str] = []
    log_in = PlatformSession._log_in

    async def counted(session: PlatformSession) -> None:
        logins.append(session.platform.username)
        await log_in(session)

    monkeypatch.setattr(PlatformSession, "_log_in", counted)
    platform = world.platform(platform_url)

    first = prefill_seamless(world.engine, platform, FAST, now, limit=1)
    second = prefill_seamless(world.engine, platform, FAST, now, limit=1)
    after_first_two = len(logins)
    # The platform forgets every session (as after its own restart): the saved cookies no longer sign in.
    settings = PlatformSettings(db_path=tmp_path / "restarted.db", admin=True, applicant_password=PASSWORD)
    with serving(settings) as url:
        third = prefill_seamless(world.engine, replace(platform, base_url=url), FAST, now, limit=1)

    assert [r.outcomes for r in (first, second, third)] == [{"filed": 1}] * 3
    assert after_first_two == 1, "the second run signed in with the saved session"
    assert len(logins) == 2, "the session the platform no longer knew was replaced by a new login"
    assert platform.state_file.stat().st_mode & 0o777 == 0o600


def test_a_login_page_answering_server_errors_is_an_outage_not_a_refused_account(
    world: World, platform_url: str
) -> None:
    world.seamless(3)
    httpx.post(f"{platform_url}/_sandbox/faults", json={"error_rate": 1.0, "error_paths": ["/login"]})
    policy = RetryPolicy(max_attempts=2, backoff_seconds=0, breaker_threshold=2)

    report = prefill_seamless(world.engine, world.platform(platform_url), policy, now)

    assert report.stopped_early and not report.login_refused and report.parked == 0
    assert any("looks down" in warning for warning in report.warnings)
