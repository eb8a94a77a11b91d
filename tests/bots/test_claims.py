"""A pre-fill round's claim on a case, on SQLite and PostgreSQL: of two rounds, one takes it; a live lease keeps it
from others; a run-out one is taken over, and then the reference is not the taker's own (it must search first)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select, update

from bots.application import platform_ref
from bots.claims import claim, release, release_lane, round_name
from ground.outside_work import attempts
from ground.store.tables import cases
from tests.outside_work.test_attempts import T0, new_case

LEASE = 900.0


def taken(store: Engine, case_id: int) -> tuple[str | None, str | None]:
    with store.connect() as connection:
        row = connection.execute(select(cases.c.claimed_by, cases.c.platform_ref).where(cases.c.id == case_id)).one()
        return row.claimed_by, row.platform_ref


def case_of(case_id: int) -> dict[str, Any]:
    """The case as a round selected it."""
    return {"id": case_id, "state": "consented", "platform_ref": None}


def test_of_two_rounds_one_takes_the_case_and_writes_the_reference_before_any_browser_step(store: Engine) -> None:
    case_id = new_case(store)
    mine, theirs = case_of(case_id), case_of(case_id)

    assert claim(store, mine, "a", T0, LEASE)
    assert not claim(store, theirs, "b", T0 + timedelta(seconds=LEASE - 1), LEASE), "a's lease is live"

    assert taken(store, case_id) == ("a", platform_ref(case_id))
    assert mine["claimed"], "a wrote the reference: no application can exist yet, it files at once"


def test_a_run_out_lease_is_taken_over_and_the_taker_searches_first(store: Engine) -> None:
    case_id = new_case(store)
    assert claim(store, case_of(case_id), "dead", T0, LEASE)
    attempts.start(store, case_id, "prefill", T0)  # the dead round was at work on the case

    left_alone = attempts.close_interrupted(store, T0 + timedelta(seconds=LEASE - 1), "prefill", ["renewal"])
    takeover = case_of(case_id)
    took = claim(store, takeover, "b", T0 + timedelta(seconds=LEASE), LEASE)
    closed = attempts.close_interrupted(store, T0 + timedelta(seconds=LEASE), "prefill", ["renewal"])

    assert left_alone == 0, "while its lease lives, the round's attempt is its own"
    assert took and taken(store, case_id) == ("b", platform_ref(case_id))
    assert takeover["platform_ref"] == platform_ref(case_id) and not takeover["claimed"], "the dead one may have filed"
    assert closed == 0, "b holds the case now: a running attempt on it could be b's own"


def test_a_round_done_frees_the_cases_it_still_holds(store: Engine) -> None:
    case_id = new_case(store)
    assert claim(store, case_of(case_id), "a", T0, LEASE)

    release(store, "b")
    held_by_a = taken(store, case_id)[0]
    release(store, "a")

    assert held_by_a == "a"
    assert claim(store, case_of(case_id), "b", T0 + timedelta(seconds=1), LEASE)


def test_the_cases_of_a_dead_rounds_lane_are_freed_before_their_leases_run_out(store: Engine) -> None:
    dead, alive = case_of(new_case(store)), case_of(new_case(store, "JY11506240000002:2027-03-31"))
    assert claim(store, dead, round_name("bots:prefill:1"), T0, LEASE)
    assert claim(store, alive, round_name("bots:prefill:10"), T0, LEASE)

    freed = release_lane(store, "bots:prefill:1")  # the caller holds lane 1: no living round does

    assert freed == 1
    assert taken(store, dead["id"])[0] is None
    assert str(taken(store, alive["id"])[0]).startswith("bots:prefill:10/"), "not lane 10's (prefix, not a match)"


def test_a_case_another_round_filed_since_this_one_selected_it_is_not_taken(store: Engine) -> None:
    case_id = new_case(store)
    stale = case_of(case_id)  # selected by a round, then filed by another, which ended and let the case go
    with store.begin() as connection:
        connection.execute(
            update(cases).where(cases.c.id == case_id).values(state="prefilled", application_no="SP2026-000001")
        )

    assert not claim(store, stale, "late", T0, LEASE)
    assert taken(store, case_id)[0] is None
