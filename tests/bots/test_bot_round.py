"""A bot round as the service and the operator run it (`proactive bots`): one at a time per database, a round
whose login the platform refuses tries nothing more, and a round closes the attempts a killed one left running."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select
from typer.testing import CliRunner

from agent.cli import app
from ground.store.locks import alone
from ground.store.tables import bot_attempts, job_runs
from tests.bots.conftest import PASSWORD, World, prefill_killed_at


def environment(world: World, password: str = PASSWORD) -> dict[str, str]:
    return {
        "PROACTIVE_DATABASE_URL": str(world.engine.url),
        "PROACTIVE_VAR_DIR": str(world.folder),
        "PROACTIVE_PLATFORM__PASSWORD": password,
    }


def test_a_bot_round_by_hand_is_refused_while_another_is_at_work(world: World, platform_url: str) -> None:
    world.seamless(2, open_on=datetime.now(ZoneInfo("Asia/Shanghai")).date())  # the command files on today's date
    env = environment(world)
    bots = ["bots", "--url", platform_url, "--any-time"]

    with alone(world.engine, "bots:prefill:renewal", "another bot round is at work"):
        refused = CliRunner().invoke(app, bots, env=env)
    filed_meanwhile = httpx.get(f"{platform_url}/_sandbox/applications").json()
    done = CliRunner().invoke(app, bots, env=env)

    assert refused.exit_code == 1 and "another run of platform-bots is at work" in refused.output
    assert filed_meanwhile == []
    assert done.exit_code == 0 and "filed 2" in done.output, done.output


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

    with alone(
        world.engine, "bots:prefill:renewal", "another bot round is at work"
    ):  # its attempts are its own: left alone
        CliRunner().invoke(app, bots, env=env)
        while_held = attempt_rows(world)
    done = CliRunner().invoke(app, bots, env=env)

    assert while_held == [("running", None)]
    assert done.exit_code == 0, done.output
    outcome, finished_at = attempt_rows(world)[0]
    assert outcome == "interrupted" and finished_at is not None
    assert world.case(case_id)["state"] != "parked"
