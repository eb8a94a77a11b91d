"""An operator's `proactive bots` while the service's round is at work would take the same cases: it is refused."""

from __future__ import annotations

import httpx
from typer.testing import CliRunner

from agent.cli import app
from agent.store.locks import alone
from tests.bots.conftest import PASSWORD, World


def test_a_bot_round_by_hand_is_refused_while_another_is_at_work(world: World, platform_url: str) -> None:
    world.seamless(2)
    env = {
        "PROACTIVE_DATABASE_URL": str(world.engine.url),
        "PROACTIVE_VAR_DIR": str(world.folder),
        "PROACTIVE_PLATFORM__PASSWORD": PASSWORD,
    }
    bots = ["bots", "--url", platform_url, "--any-time"]

    with alone(world.engine, "bots", "another bot round is at work"):
        refused = CliRunner().invoke(app, bots, env=env)
    filed_meanwhile = httpx.get(f"{platform_url}/_sandbox/applications").json()
    done = CliRunner().invoke(app, bots, env=env)

    assert refused.exit_code == 1 and "another bot round is at work" in refused.output
    assert filed_meanwhile == []
    assert done.exit_code == 0 and "filed 2" in done.output, done.output
