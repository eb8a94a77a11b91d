"""The operator's reads of cases: a listing narrowed by each condition, most urgent first; one case whole with its
ledger and attempts; the counts by kind, state and route."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, insert

from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.cases.reads import CaseFilter, attempts, case_counts, count_cases, ledger, list_cases, one_case
from ground.store.tables import bot_attempts, cases

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def add_case(engine: Engine, key: str, **values: object) -> int:
    row = {"natural_key": key, "kind": "renewal", "state": "routed", "created_at": NOW, "updated_at": NOW} | values
    with engine.begin() as connection:
        return int(connection.execute(insert(cases).values(row)).inserted_primary_key[0])  # type: ignore[index]


@pytest.fixture
def three(store: Engine) -> dict[str, int]:
    """Two renewals (the later window first in id order) and a paid subsidy."""
    later = add_case(store, "a", route="remind", licence_type="food", window_closes_on=date(2027, 3, 1))
    sooner = add_case(
        store, "b", route="seamless", licence_type="drug", window_closes_on=date(2027, 1, 1), calendar_warning="2027"
    )
    paid = add_case(
        store, "c", kind="subsidy", state="paid", policy_id="p1", amount_yuan=5000, paid_at=NOW, payment_ref="GK1"
    )
    return {"later": later, "sooner": sooner, "paid": paid}


@pytest.mark.parametrize(
    ("which", "expected"),
    [
        (CaseFilter(kind="renewal"), ["sooner", "later"]),  # the window that closes first, first
        (CaseFilter(kind="renewal", route="remind"), ["later"]),
        (CaseFilter(licence_type="drug"), ["sooner"]),
        (CaseFilter(closes_before=date(2027, 2, 1)), ["sooner"]),
        (CaseFilter(warned=True), ["sooner"]),  # counted on an assumed calendar
        (CaseFilter(kind="subsidy", policy_id="p1", state="paid"), ["paid"]),
        (CaseFilter(state="withdrawn"), []),
    ],
)
def test_a_listing_is_narrowed_by_each_condition(
    store: Engine, three: dict[str, int], which: CaseFilter, expected: list[str]
) -> None:
    with store.connect() as connection:
        assert [row.id for row in list_cases(connection, which, 10)] == [three[name] for name in expected]
        assert count_cases(connection, which) == len(expected)


def test_one_case_comes_whole_with_its_moments_in_utc(store: Engine, three: dict[str, int]) -> None:
    with store.connect() as connection:
        paid = one_case(connection, three["paid"])
        assert one_case(connection, 999) is None
    assert paid is not None and (paid.amount_yuan, paid.payment_ref) == (5000, "GK1")
    assert paid.paid_at == NOW and paid.paid_at.tzinfo is not None


def test_the_ledger_and_the_attempts_come_oldest_first(store: Engine, three: dict[str, int]) -> None:
    case_id = three["sooner"]
    with store.begin() as connection:
        move_case(connection, case_id, State.PARKED, "login refused 3 times", "bot:prefill", NOW, parked_reason="login")
        attempt = {"case_id": case_id, "bot": "prefill", "started_at": NOW, "outcome": "error", "error": "timeout"}
        connection.execute(insert(bot_attempts).values(attempt | {"evidence": {"screenshot": "s.png"}}))
    with store.connect() as connection:
        entries, tries = ledger(connection, case_id), attempts(connection, case_id)
    assert [(e.old_state, e.new_state, e.actor) for e in entries] == [("routed", "parked", "bot:prefill")]
    assert entries[0].at == NOW and entries[0].details == {}
    assert [(a.bot, a.error, a.evidence) for a in tries] == [("prefill", "timeout", {"screenshot": "s.png"})]


def test_the_counts_are_by_kind_state_and_route(store: Engine, three: dict[str, int]) -> None:
    with store.connect() as connection:
        counts = [(c.kind, c.state, c.route, c.cases) for c in case_counts(connection)]
    assert counts == [
        ("renewal", "routed", "remind", 1),
        ("renewal", "routed", "seamless", 1),
        ("subsidy", "paid", None, 1),
    ]
