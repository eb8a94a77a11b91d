"""A bot round as the service and the operator run it (`proactive bots`): it leaves the cases another round holds
to it, a round whose login the platform refuses tries nothing more, and a round closes the attempts a killed one
left running once their cases' leases have run out (and the runs an older version left running under its locks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select, update
from typer.testing import CliRunner

from agent.cli import app
from agent.jobs import BOTS_JOB_ID
from ground.store.job_runs import start_run
from ground.store.locks import alone
from ground.store.tables import bot_attempts, cases, job_runs
from tests.bots.conftest import PASSWORD, World, prefill_killed_at


def environment(world: World, password: str = PASSWORD) -> dict[str, str]:
    return {
        "PROACTIVE_DATABASE_URL": str(world.engine.url),
        "PROACTIVE_VAR_DIR": str(world.folder),
        "PROACTIVE_PLATFORM__PASSWORD": password,
    }


def hold_lease(world: World, case_id: int, until: datetime) -> None:
    """Another round (alive, elsewhere) holds the case until `until`."""
    with world.engine.begin() as connection:
        connection.execute(
            update(cases).where(cases.c.id == case_id).values(claimed_by="elsewhere:1:round", lease_until=until)
        )


def test_a_bot_round_by_hand_leaves_the_cases_another_round_holds_to_it(world: World, platform_url: str) -> None:
    held, free = world.seamless(2, open_on=datetime.now(ZoneInfo("Asia/Shanghai")).date())  # filed on today's date
    hold_lease(world, held, datetime.now(UTC) + timedelta(hours=1))
    bots = ["bots", "--url", platform_url, "--any-time"]

    first = CliRunner().invoke(app, bots, env=environment(world))
    filed_meanwhile = httpx.get(f"{platform_url}/_sandbox/applications").json()
    hold_lease(world, held, datetime.now(UTC) - timedelta(seconds=1))  # its round died; the lease has run out
    second = CliRunner().invoke(app, bots, env=environment(world))

    assert first.exit_code == 0 and "filed 1" in first.output, first.output
    assert [application["reference"] for application in filed_meanwhile] == [world.case(free)["platform_ref"]]
    assert second.exit_code == 0 and "filed 1" in second.output, second.output
    assert world.case(held)["state"] == "prefilled" and world.case(held)["claimed_by"] is None


def test_a_round_whose_login_is_refused_tries_nothing_more(world: World, platform_url: str) -> None:
    world.seamless(2, open_on=datetime.now(ZoneInfo("Asia/Shanghai")).date())

    result = CliRunner().invoke(app, ["bots", "--url", platform_url, "--any-time"], env=environment(world, "wrong"))

    assert result.exit_code == 1, result.output  # the round failed: a person must fix the bot's account
    assert "refused the bot's login" in result.output and "status sync skipped" in result.output
    with world.engine.connect() as connection:
        assert connection.execute(select(bot_attempts)).all() == [], "no case was tried"
        assert connection.execute(select(job_runs.c.status)).scalars().all() == ["failed"]


def attempt_rows(world: World) -> list[tuple[str, datetime | None]]:
    with world.engine.connect() as connection:
        query = select(bot_attempts.c.outcome, bot_attempts.c.finished_at).order_by(bot_attempts.c.id)
        return [(row.outcome, row.finished_at) for row in connection.execute(query)]


def test_the_next_round_closes_the_attempt_a_killed_round_left_running(world: World, platform_url: str) -> None:
    [case_id] = world.seamless(1)
    killed = prefill_killed_at(world, platform_url)
    assert killed.returncode == 75, killed.stderr.decode()[-2000:]
    bots, env = ["bots", "--url", platform_url, "--any-time"], environment(world)

    hold_lease(world, case_id, datetime.now(UTC) + timedelta(hours=1))  # as if its round were alive
    CliRunner().invoke(app, bots, env=env)
    while_held = attempt_rows(world)
    hold_lease(world, case_id, datetime.now(UTC) - timedelta(seconds=1))
    done = CliRunner().invoke(app, bots, env=env)

    assert while_held == [("running", None)], "a live round's attempt is its own: left alone"
    assert done.exit_code == 0, done.output
    outcome, finished_at = attempt_rows(world)[0]
    assert outcome == "interrupted" and finished_at is not None
    assert world.case(case_id)["state"] != "parked"


def test_a_run_an_older_version_left_running_under_its_retired_locks_is_closed_once_they_are_free(
    world: World, platform_url: str
) -> None:
    old_locks = ("bots:prefill:renewal", "bots:prefill:subsidy", "bots:status_sync")
    left = start_run(world.engine, BOTS_JOB_ID, datetime.now(UTC) - timedelta(days=1), old_locks)
    bots, env = ["bots", "--url", platform_url, "--any-time"], environment(world)

    with alone(world.engine, "bots:prefill:subsidy", "the older version, still at work"):
        CliRunner().invoke(app, bots, env=env)
        while_held = run_status(world, left)
    done = CliRunner().invoke(app, bots, env=env)

    assert while_held == "running", "a run whose locks are held may be alive: left alone"
    assert done.exit_code == 0, done.output
    assert run_status(world, left) == "interrupted"


def run_status(world: World, run_id: int) -> str:
    with world.engine.connect() as connection:
        return str(connection.execute(select(job_runs.c.status).where(job_runs.c.id == run_id)).scalar_one())
