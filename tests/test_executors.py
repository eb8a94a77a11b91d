"""A long bot round does not hold the other jobs back: the bots run in a worker pool of their own, so an SMS
dispatch that falls due meanwhile goes out (the issue: 550 SMS waited 12 minutes behind one round)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from agent import jobs
from agent.runtime import Runtime
from agent.service import build_scheduler
from ground.settings import Settings
from tests.conftest import patient


class Round:
    """A bot round that holds its worker until it is released, and an SMS dispatch that says it ran."""

    def __init__(self) -> None:
        self.bots_started, self.release, self.sms_sent = threading.Event(), threading.Event(), threading.Event()

    def bot_round(self) -> None:
        self.bots_started.set()
        self.release.wait(patient(60))

    def notify_round(self) -> None:
        self.sms_sent.set()


@pytest.fixture
def scheduled(
    sqlite_store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Round, BaseScheduler]]:
    work = Round()
    # the job store keeps each entry point by name, so the stand-ins are found under the real names
    monkeypatch.setattr(jobs, "scheduled_bot_round", work.bot_round)
    monkeypatch.setattr(jobs, "scheduled_notify_round", work.notify_round)
    settings = Settings(
        database_url=sqlite_store.url.render_as_string(hide_password=False),
        var_dir=tmp_path,
        platform={"base_url": "http://127.0.0.1:1", "password": "bot-password"},
    )
    scheduler = build_scheduler(Runtime(settings))
    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()
    yield work, scheduler
    work.release.set()
    scheduler.shutdown(wait=True)
    thread.join(patient(30))


def test_an_sms_dispatch_runs_while_a_long_bot_round_holds_its_worker(scheduled: tuple[Round, BaseScheduler]) -> None:
    work, scheduler = scheduled
    now = datetime.now(Settings().zone)

    scheduler.modify_job(jobs.BOTS_JOB_ID, next_run_time=now)
    assert work.bots_started.wait(patient(30)), "the bot round did not start"
    scheduler.modify_job(jobs.NOTIFY_JOB_ID, next_run_time=now)

    assert work.sms_sent.wait(patient(30)), "the SMS dispatch waited behind the bot round"
    assert not work.release.is_set()  # the round was still at work when the SMS went


@pytest.fixture
def stopping() -> Iterator[None]:
    jobs.STOP.set()
    yield
    jobs.STOP.clear()


def test_after_the_signal_a_job_handed_to_a_pool_is_dropped_not_run(
    scheduled: tuple[Round, BaseScheduler], stopping: None
) -> None:
    work, scheduler = scheduled
    job, pool = scheduler.get_job(jobs.NOTIFY_JOB_ID), scheduler._lookup_executor("default")

    pool.submit_job(job, [datetime.now(Settings().zone)])  # the scheduler handing it over as the signal came
    pool.shutdown(wait=True)  # whatever had been submitted would have run by now

    assert not work.sms_sent.is_set()


class SignalBetween:
    """The stop flag as the race sees it: not yet set at the pool's check, set by the time the pool is asked."""

    def __init__(self) -> None:
        self.answers = iter([False])

    def is_set(self) -> bool:
        return next(self.answers, True)


def test_a_job_handed_to_a_pool_already_shut_down_is_dropped_without_an_error(
    scheduled: tuple[Round, BaseScheduler], monkeypatch: pytest.MonkeyPatch
) -> None:
    work, scheduler = scheduled
    job, pool = scheduler.get_job(jobs.NOTIFY_JOB_ID), scheduler._lookup_executor("default")
    pool.shutdown(wait=True)  # by the signal's handler, between the scheduler's check and its submit
    monkeypatch.setattr(jobs, "STOP", SignalBetween())

    pool.submit_job(job, [datetime.now(Settings().zone)])  # no "cannot schedule new futures after shutdown"

    assert not work.sms_sent.is_set()
