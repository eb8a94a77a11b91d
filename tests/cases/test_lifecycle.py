"""The lifecycle is data: every state is reachable, final states are final, and every move is checked."""

from __future__ import annotations

import pytest

from ground.cases.lifecycle import (
    FINAL_STATES,
    TRANSITIONS,
    WITHDRAWABLE_BEFORE_PAYMENT,
    InvalidTransition,
    State,
    check_transition,
)


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_its_allowed_moves_and_refuses_the_others(state: State) -> None:
    for target in State:
        if target in TRANSITIONS[state]:
            check_transition(state, target)
        else:
            with pytest.raises(InvalidTransition, match=f"from {state} to {target}"):
                check_transition(state, target)


def test_every_state_can_be_reached() -> None:
    reachable = set().union(*TRANSITIONS.values())

    assert reachable == set(State), "new is reachable too: an operator sends a parked case back to the start"


def test_done_withdrawn_and_lapsed_are_final() -> None:
    assert {State.DONE, State.WITHDRAWN, State.LAPSED} == FINAL_STATES


def test_a_subsidy_is_paid_after_approval_and_the_business_told_after_payment() -> None:
    for old, new in ((State.APPROVED, State.PAID), (State.PAID, State.NOTIFIED), (State.PARKED, State.PAID)):
        check_transition(old, new)


def test_a_paid_subsidy_is_never_withdrawn_but_an_approved_unpaid_one_can_be() -> None:
    check_transition(State.APPROVED, State.WITHDRAWN)
    with pytest.raises(InvalidTransition, match="from paid to withdrawn"):
        check_transition(State.PAID, State.WITHDRAWN)
    assert State.PAID not in WITHDRAWABLE_BEFORE_PAYMENT
