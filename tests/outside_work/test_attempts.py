"""A case step's tries in the store: each recorded before it acts, closed with its outcome and evidence; the
failures that count towards parking are the transient ones since the operator's last release, never a killed
round's or an outage's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert, select

from ground.cases.lifecycle import State
from ground.cases.release import release_parked
from ground.outside_work import attempts
from ground.outside_work.failure import OutsideFailure
from ground.store.tables import bot_attempts, case_transitions, cases

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


class Refused(OutsideFailure):
    transient = False


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def __call__(self) -> datetime:
        self.at += timedelta(minutes=1)
        return self.at


def new_case(store: Engine, natural_key: str = "JY11506240000001:2027-03-31") -> int:
    with store.begin() as connection:
        inserted = connection.execute(
            insert(cases).values(
                natural_key=natural_key,
                kind="renewal",
                state=State.CONSENTED.value,
                created_at=T0,
                updated_at=T0,
            )
        )
        return int(inserted.inserted_primary_key[0])  # type: ignore[index]


def tried(store: Engine, case_id: int, clock: Clock, failure: OutsideFailure | None) -> None:
    """One recorded try of the pre-fill at the case, failing with `failure` if given."""

    async def attempt() -> None:
        async with attempts.recorded(store, case_id, "prefill", clock):
            if failure is not None:
                raise failure

    if failure is None:
        asyncio.run(attempt())
    else:
        with pytest.raises(OutsideFailure):
            asyncio.run(attempt())


def outcomes(store: Engine) -> list[tuple[str, str | None, object]]:
    query = select(bot_attempts.c.outcome, bot_attempts.c.error, bot_attempts.c.evidence).order_by(bot_attempts.c.id)
    with store.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def test_every_try_is_closed_with_its_outcome_its_error_and_its_evidence(store: Engine) -> None:
    case_id, clock = new_case(store), Clock()
    evidence = {"screenshot": "case-1-prefill-2.png", "trace": "case-1-prefill-2.trace.zip"}

    tried(store, case_id, clock, OutsideFailure("HTTP 503"))
    tried(store, case_id, clock, Refused("信用代码有误", evidence))
    tried(store, case_id, clock, None)

    assert outcomes(store) == [
        ("transient", "HTTP 503", None),
        ("permanent", "信用代码有误", evidence),
        ("done", None, None),
    ]


def test_only_transient_failures_since_the_last_release_count(store: Engine) -> None:
    case_id, clock = new_case(store), Clock()
    for _ in range(3):
        tried(store, case_id, clock, OutsideFailure("timeout"))
    attempts.park(store, case_id, "bot:prefill", "多次尝试失败：timeout", {}, clock())
    with store.begin() as connection:
        release_parked(connection, case_id, "platform back", "operator", clock())
    tried(store, case_id, clock, OutsideFailure("timeout"))
    tried(store, case_id, clock, Refused("refused"))

    assert attempts.counted_failures(store, case_id, "prefill") == 1
    assert attempts.counted_failures(store, case_id, "status_sync") == 0, "each step counts its own"


def test_an_outage_and_a_killed_round_are_no_failures_of_the_case(store: Engine) -> None:
    case_id, clock = new_case(store), Clock()
    tried(store, case_id, clock, OutsideFailure("timeout before the outage"))
    outage_began = clock()
    tried(store, case_id, clock, OutsideFailure("platform down"))
    attempts.start(store, case_id, "prefill", clock())  # its process was killed mid-try

    attempts.mark_outage(store, "prefill", [case_id], outage_began)
    closed = attempts.close_interrupted(store, clock(), "prefill", ["renewal"])

    assert closed == 1
    assert [outcome for outcome, _, _ in outcomes(store)] == ["transient", "outage", "interrupted"]
    assert attempts.counted_failures(store, case_id, "prefill") == 1


def test_a_round_closes_only_the_running_tries_of_its_own_step_and_kind(store: Engine) -> None:
    # Workers run the pre-fill of renewals, of subsidies and the status sync at once: each round's locks cover only
    # its own step and kind, so a try of another step, or at another kind's case, may be alive on another worker.
    case_id, clock = new_case(store), Clock()
    attempts.start(store, case_id, "prefill", clock())  # killed
    attempts.start(store, case_id, "status_sync", clock())  # at work in another round

    assert attempts.close_interrupted(store, clock(), "prefill", ["subsidy"]) == 0
    assert attempts.close_interrupted(store, clock(), "prefill", ["renewal"]) == 1
    assert [outcome for outcome, _, _ in outcomes(store)] == ["interrupted", "running"]


def test_a_parked_case_keeps_its_reason_and_its_evidence_in_the_ledger(store: Engine) -> None:
    case_id, clock = new_case(store), Clock()
    evidence = {"screenshot": "case-1-prefill-9.png", "trace": "case-1-prefill-9.trace.zip"}

    attempts.park(store, case_id, "bot:prefill", "平台拒绝：信用代码有误", evidence, clock())

    with store.connect() as connection:
        case = connection.execute(select(cases.c.state, cases.c.parked_reason)).one()
        entry = connection.execute(select(case_transitions.c.actor, case_transitions.c.details)).one()
    assert tuple(case) == ("parked", "平台拒绝：信用代码有误")
    assert tuple(entry) == ("bot:prefill", evidence)
