"""Opening and moving cases: every change checked by the lifecycle, written only over the state it was decided on,
and recorded in the ledger — one case at a time or a frame at once."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, func, select

from ground.cases import moves
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import InvalidTransition, State
from ground.cases.moves import StaleCase, move_case, move_cases, open_cases
from ground.store.tables import case_transitions, cases

AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def open_three(connection: Connection) -> pd.DataFrame:
    """Three new renewal cases; their `id`, `natural_key` and `state`."""
    keys = [f"renewal:JY1150624000000{n}:2027-02-10" for n in range(3)]
    opened = pd.DataFrame({"natural_key": keys, "licence_no": [k.split(":")[1] for k in keys], "reason": "window"})
    open_cases(connection, opened, Kind.RENEWAL, State.NEW, "scan", AT)
    query = select(cases.c.id, cases.c.natural_key, cases.c.state).order_by(cases.c.id)
    return pd.DataFrame(connection.execute(query).mappings().all())


def states(connection: Connection) -> list[str]:
    return list(connection.execute(select(cases.c.state).order_by(cases.c.id)).scalars())


def entries(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(case_transitions)).scalar_one())


def test_opened_cases_are_new_with_their_ledger_entry(store: Engine) -> None:
    with store.begin() as connection:
        opened = open_three(connection)
        ledger = connection.execute(
            select(case_transitions.c.case_id, case_transitions.c.old_state, case_transitions.c.new_state)
        ).all()

    assert list(opened["state"]) == ["new"] * 3
    assert sorted(ledger) == [(case_id, None, "new") for case_id in sorted(opened["id"])]


def test_a_case_is_opened_new_or_routed_only(store: Engine) -> None:
    opened = pd.DataFrame({"natural_key": ["subsidy:x:p:2026"], "reason": "matched"})
    with store.begin() as connection, pytest.raises(InvalidTransition, match="opened new or routed, not approved"):
        open_cases(connection, opened, Kind.SUBSIDY, State.APPROVED, "policy-matching", AT)


def test_a_bulk_move_sets_each_case_its_own_values_and_records_each(store: Engine) -> None:
    with store.begin() as connection:
        waiting = open_three(connection).assign(
            reason=["by rule", "by score", "by score"],
            route=[Route.NONE.value, Route.SEAMLESS.value, Route.REMIND.value],
        )
        move_cases(connection, waiting, State.ROUTED, "scoring:v1", LATER, model_version="v1")
        routed = connection.execute(select(cases.c.route, cases.c.model_version).order_by(cases.c.id)).tuples().all()
        ledger = (
            connection.execute(
                select(case_transitions.c.old_state, case_transitions.c.new_state, case_transitions.c.reason).where(
                    case_transitions.c.actor == "scoring:v1"
                )
            )
            .tuples()
            .all()
        )

        assert states(connection) == ["routed"] * 3
    assert routed == [("none", "v1"), ("seamless", "v1"), ("remind", "v1")]
    assert sorted(ledger) == [("new", "routed", "by rule"), *[("new", "routed", "by score")] * 2]


def test_a_bulk_move_the_lifecycle_refuses_for_one_case_moves_none(store: Engine) -> None:
    with store.begin() as connection:
        opened = open_three(connection)
        move_case(connection, int(opened["id"][0]), State.WITHDRAWN, "licence revoked", "scan", AT)
        before = entries(connection)
        current = opened.assign(state=states(connection), reason="routed")  # each case in its true state

        with pytest.raises(InvalidTransition, match="from withdrawn to routed"):
            move_cases(connection, current, State.ROUTED, "scoring:v1", LATER)

        assert states(connection) == ["withdrawn", "new", "new"]
        assert entries(connection) == before


def test_a_stale_bulk_move_raises_and_its_transaction_keeps_nothing(store: Engine) -> None:
    with store.begin() as connection:
        opened = open_three(connection)
    with store.begin() as connection:  # another process routes one case after this one read them all as new
        move_case(connection, int(opened["id"][1]), State.ROUTED, "routed elsewhere", "other", AT)
    with store.connect() as connection:
        before = entries(connection)

    with pytest.raises(StaleCase, match="1 of 3 cases were no longer in the state"), store.begin() as connection:
        move_cases(connection, opened.assign(reason="not due"), State.WITHDRAWN, "scan", LATER)

    with store.connect() as connection:
        assert states(connection) == ["new", "routed", "new"], "the whole move was rolled back"
        assert entries(connection) == before


def test_a_stale_single_move_raises_before_its_ledger_entry(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.begin() as connection:
        case_id = int(open_three(connection)["id"][0])
        move_case(connection, case_id, State.ROUTED, "routed", "scoring:v1", AT)
        before = entries(connection)

        def read_before_the_other_process_moved_it(connection: Connection, case_id: int) -> Any:
            return SimpleNamespace(state=State.NEW.value, natural_key="renewal:stale")

        monkeypatch.setattr(moves, "_current", read_before_the_other_process_moved_it)
        with pytest.raises(StaleCase):
            move_case(connection, case_id, State.WITHDRAWN, "not due", "scan", LATER)

        assert states(connection)[0] == "routed"
        assert entries(connection) == before
