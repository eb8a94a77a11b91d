"""The case lifecycle as data: its states and the moves allowed between them. Nothing else decides a move."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    NEW = "new"  # created by a scan or a policy match; not yet routed
    ROUTED = "routed"  # scored and given a route (seamless / assisted / remind / none)
    AWAITING_CONSENT = "awaiting_consent"  # seamless renewal: the holder is invited to authorise it (授权)
    CONSENTED = "consented"  # the holder authorised the renewal (or the bureau's rules deem it): the bot may file
    PREFILLED = "prefilled"  # the bot filed it on the approval platform; awaiting the approver
    APPROVED = "approved"  # an approver confirmed it on the platform
    PAID = "paid"  # subsidy: the treasury's payment is recorded (voucher number and moment on the case)
    RETURNED = "returned"  # an approver sent it back, with the reason
    NOTIFIED = "notified"  # the holder has been told
    DONE = "done"
    PARKED = "parked"  # repeated failure: waits for the operator, with its evidence
    WITHDRAWN = "withdrawn"  # no longer wanted (licence revoked, subject deregistered, renewed elsewhere)
    LAPSED = "lapsed"  # the licence expired with no renewal applied for: never renewed; 新办 guidance, 注销 list


# A renewal not filed by the day its licence expires lapses, from whichever state it waited in.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.NEW: frozenset({State.ROUTED, State.PARKED, State.WITHDRAWN, State.LAPSED}),
    # routed → routed: the route changes (the window closed, the holder said things changed), with its ledger entry
    State.ROUTED: frozenset(
        {
            State.ROUTED,
            State.AWAITING_CONSENT,
            State.CONSENTED,
            State.PREFILLED,
            State.NOTIFIED,
            State.PARKED,
            State.WITHDRAWN,
            State.LAPSED,
        }
    ),
    State.AWAITING_CONSENT: frozenset({State.CONSENTED, State.ROUTED, State.PARKED, State.WITHDRAWN, State.LAPSED}),
    State.CONSENTED: frozenset({State.PREFILLED, State.ROUTED, State.PARKED, State.WITHDRAWN, State.LAPSED}),
    State.PREFILLED: frozenset({State.APPROVED, State.RETURNED, State.PARKED, State.WITHDRAWN}),
    # An approved subsidy not yet paid is still withdrawn if the subject stops qualifying: no payment goes out
    # on conditions that no longer hold. An approved renewal is done when its licence is renewed in our records.
    State.APPROVED: frozenset({State.PAID, State.DONE, State.NOTIFIED, State.PARKED, State.WITHDRAWN}),
    State.PAID: frozenset({State.NOTIFIED, State.PARKED}),
    State.RETURNED: frozenset({State.ROUTED, State.NOTIFIED, State.PARKED, State.WITHDRAWN, State.LAPSED}),
    State.NOTIFIED: frozenset({State.DONE, State.ROUTED, State.PARKED}),
    State.PARKED: frozenset(
        {State.NEW, State.ROUTED, State.CONSENTED, State.PREFILLED, State.PAID, State.WITHDRAWN, State.LAPSED}
    ),
    State.DONE: frozenset(),
    State.WITHDRAWN: frozenset(),
    State.LAPSED: frozenset(),
}

# A case is opened new (a renewal: routed by its score and the legal rules later) or routed at once (a subsidy:
# the policy that matched it is its reason, and the department's approver confirms it).
OPENING_STATES = frozenset({State.NEW, State.ROUTED})
FINAL_STATES = frozenset(state for state, moves in TRANSITIONS.items() if not moves)
OPEN_STATES = frozenset(State) - FINAL_STATES
# Past these, the holder has been told or an approver has acted: a scan no longer withdraws the case by itself.
WITHDRAWABLE_BY_SCAN = frozenset({State.NEW, State.ROUTED, State.AWAITING_CONSENT, State.CONSENTED, State.PARKED})
# A renewal in these states has no application on the platform (a parked or returned one may: see application_no).
UNFILED_RENEWAL_STATES = frozenset(
    {State.NEW, State.ROUTED, State.AWAITING_CONSENT, State.CONSENTED, State.RETURNED, State.PARKED}
)
# A subsidy is withdrawn by policy matching in these states, and only while it has no payment (`paid_at`): a
# parked case may have been parked after its payment.
WITHDRAWABLE_BEFORE_PAYMENT = frozenset(
    {State.NEW, State.ROUTED, State.PREFILLED, State.APPROVED, State.RETURNED, State.PARKED}
)


class InvalidTransition(ValueError):
    """A move the lifecycle does not allow."""


def check_transition(old: State, new: State) -> None:
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(sorted(TRANSITIONS[old])) or "none (final state)"
        raise InvalidTransition(f"a case cannot move from {old} to {new}; allowed: {allowed}")
