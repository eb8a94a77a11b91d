"""The holder's answer to the invitation to authorise a seamless renewal (授权), by SMS reply or recorded by staff.

The pre-filled form declares what only the holder can declare (conditions unchanged, 告知承诺), so nothing is filed
without this answer. A holder who says things changed is helped by a person instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from domain.renewals.answers import Answer
from domain.replies import plain_reply
from ground.cases.kinds import Route
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.store.tables import cases

CHANGED_RULE = "经营者告知许可事项或经营条件有变化，需工作人员协助办理"


WORDS = {
    Answer.GIVEN: frozenset({"1", "同意", "同意办理", "确认", "是"}),
    Answer.CHANGED: frozenset({"2", "有变化", "变化", "有变更", "变更"}),
}


class NotAwaitingConsent(ValueError):
    """The case is not waiting for its holder's consent."""


def parse_answer(body: str) -> Answer | None:
    """The answer a reply gives: full-width digits and surrounding punctuation or spaces are understood."""
    text = plain_reply(body)
    return next((answer for answer, words in WORDS.items() if text in words), None)


def record_answer(connection: Connection, case_id: int, answer: Answer, via: str, actor: str, at: datetime) -> State:
    """Apply the holder's answer to a case awaiting it; the state it moved to."""
    case = connection.execute(select(cases.c.state, cases.c.reasons).where(cases.c.id == case_id)).one_or_none()
    if case is None or case.state != State.AWAITING_CONSENT.value:
        raise NotAwaitingConsent(f"case {case_id} is {case.state if case else 'unknown'}, not awaiting consent")
    if answer is Answer.GIVEN:
        move_case(
            connection,
            case_id,
            State.CONSENTED,
            f"holder authorised the renewal ({via})",
            actor,
            at,
            consent=answer.value,
            consent_at=at,
        )
        return State.CONSENTED
    move_case(
        connection,
        case_id,
        State.ROUTED,
        f"route seamless → assisted: the holder said things changed ({via})",
        actor,
        at,
        consent=answer.value,
        consent_at=at,
        route=Route.ASSISTED.value,
        reasons={**(case.reasons or {}), "rule": CHANGED_RULE},
    )
    return State.ROUTED
