"""A job run's outcome says what happened: a platform that looked down, a bot account refused, cases given up on
or cases left unrouted for want of a model are `degraded` or `failed` in `job_runs`, never `ok`."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from agent.jobs import BOTS_JOB_ID, judge_bot_step, left_unrouted, recorded_run
from bots.report import BotReport
from ground.store.tables import job_runs


def recorded(store: Engine) -> tuple[str, str | None, list[str]]:
    with store.connect() as connection:
        row = connection.execute(select(job_runs).where(job_runs.c.job_id == BOTS_JOB_ID)).one()
    return row.status, row.error, row.warnings


@pytest.mark.parametrize(
    ("report", "hours_left", "status"),
    [
        (BotReport("prefill", cases=3, done=3), True, "ok"),  # every case filed
        (BotReport("prefill", stopped_early=True, left_for_later=5), False, "ok"),  # the platform's hours ended
        (BotReport("prefill", stopped_early=True, left_for_later=5), True, "degraded"),  # the platform looked down
        (BotReport("prefill", parked=2), True, "degraded"),  # cases given up on wait in the parked queue
        (BotReport("prefill", outcomes={"permanent": 1}), True, "degraded"),  # the profile no longer fits a page
        (BotReport("prefill", stopped_early=True, login_refused=True), True, "failed"),  # a person must fix it
    ],
)
def test_a_bot_rounds_outcome_follows_what_its_steps_met(
    store: Engine, report: BotReport, hours_left: bool, status: str
) -> None:
    with recorded_run(store, BOTS_JOB_ID) as run:
        judge_bot_step(run, "pre-fill", report, hours_left)

    assert recorded(store)[0] == status


def test_a_refused_login_fails_the_run_with_its_reason_and_keeps_what_was_counted(store: Engine) -> None:
    with recorded_run(store, BOTS_JOB_ID) as run:
        run.counts["prefill"] = {"refused": 1}
        judge_bot_step(run, "pre-fill", BotReport("prefill", stopped_early=True, login_refused=True), True)

    status, error, _ = recorded(store)
    assert status == "failed" and error is not None and "refused the bot's login" in error


def test_cases_left_unrouted_without_a_model_degrade_the_run_and_say_how_many_wait(store: Engine) -> None:
    with recorded_run(store, BOTS_JOB_ID) as run:
        left_unrouted(run, 12, "no trained model yet")

    status, _, warnings = recorded(store)
    assert status == "degraded" and warnings == ["cases left unrouted: no trained model yet; 12 cases wait"]


def test_with_nothing_waiting_a_missing_model_leaves_the_run_ok(store: Engine) -> None:
    with recorded_run(store, BOTS_JOB_ID) as run:
        left_unrouted(run, 0, "no trained model yet")

    assert recorded(store)[0] == "ok"
