"""What the provider tells us back: delivery statuses and inbound replies, applied to the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, select

from domain.ratings.replies import REPLY_WINDOW, already_rated, answer_invitation
from domain.renewals.consent import parse_answer, record_answer
from ground.cases.lifecycle import State
from ground.cases.moves import note_case
from ground.events import Event
from ground.store.tables import cases, notifications, ratings
from notifications import outbox
from notifications.notifier import Notifier
from notifications.outbox import DELIVERY_FAILED, ORDER, PROVIDER, Status
from notifications.recipients import is_opt_out, mobile
from notifications.senders.base import Accepted
from notifications.settle import accept, fallback_letter


def apply_status(
    engine: Engine,
    notifier: Notifier,
    sid: str,
    reference: int | None,
    status: str,
    error_code: str | None,
    at: datetime,
) -> str:
    """Move the message forward to `status` (never back); a delivery that failed gets a letter. Returns what
    happened, for the log and the tests."""
    if status not in {s.value for s in PROVIDER}:
        return f"ignored: {status!r} is not a delivery status"
    with engine.connect() as connection:
        row = connection.execute(
            select(notifications.c.id, notifications.c.status).where(notifications.c.provider_sid == sid)
        ).first()
    if row is not None:
        return _advance(engine, notifier, row.id, Status(row.status), Status(status), error_code, at)
    if reference is not None:  # the callback beat our own record of the send
        accept(engine, reference, Accepted(sid, status), at)
        return "recorded the send from its callback"
    return "ignored: no such message"


def _advance(
    engine: Engine, notifier: Notifier, message_id: int, current: Status, new: Status, code: str | None, at: datetime
) -> str:
    if current not in PROVIDER or ORDER[new] <= ORDER[current]:
        return f"ignored: already {current}"
    with engine.begin() as connection:
        if not outbox.move(connection, message_id, current, at, status=new, error_code=code):
            return "ignored: changed meanwhile"
        if new in DELIVERY_FAILED:
            fallback_letter(connection, notifier, message_id, f"短信未送达（{new}，错误码{code}）", at)
            return f"{new}: letter instead"
    return str(new)


def apply_reply(
    engine: Engine, notifier: Notifier, message_sid: str, sender_number: str, body: str, at: datetime
) -> str:
    """A holder's reply, acted on once per provider message id: a repeat (a retried webhook, a replayed request,
    however well signed) changes nothing, so an opt-out an operator has since lifted stays lifted."""
    if not message_sid:
        return "ignored: no message id"
    with engine.begin() as connection:
        if not outbox.first_inbound(connection, message_sid, at):
            return "ignored: already handled"
        return _act_on_reply(connection, notifier, sender_number, body, at)


def _act_on_reply(connection: Connection, notifier: Notifier, sender_number: str, body: str, at: datetime) -> str:
    """An opt-out word is recorded (and honoured from the next send); any other reply answers the one question
    this mobile has open: the invitation to authorise a renewal (回复1 / 回复2) or to rate a finished case (回复1-5).
    With two questions open the reply could answer either, so a person asks which (the ledger of each shows it)."""
    number = mobile(sender_number)
    if number is None:
        return "ignored"
    if is_opt_out(body):
        return "opted out" if outbox.opt_out(connection, number, "reply", body.strip(), at) else "already opted out"
    consents, invitations = _invited(connection, number), _invited_to_rate(connection, number, at)
    unrated = [case_id for case_id, graded in invitations if not graded]
    if (consents and unrated) or len(unrated) > 1:
        return _ambiguous(connection, consents + unrated, body, at)
    if unrated:
        return answer_invitation(connection, unrated[0], number, body, notifier.calendar, notifier.zone, at)
    if not consents and invitations:
        return already_rated(invitations[0][0])
    return _answer_consent(connection, consents, body, at)


def _answer_consent(connection: Connection, waiting: list[int], body: str, at: datetime) -> str:
    answer = parse_answer(body)
    if answer is None:
        return "ignored"
    if not waiting:
        return "ignored: no renewal awaits this holder's consent"
    if len(waiting) > 1:  # several licences: a person asks which one
        return _ambiguous(connection, waiting, body, at)
    record_answer(connection, waiting[0], answer, f"SMS reply {body.strip()!r}", "holder", at)
    return f"consent {answer}"


def _ambiguous(connection: Connection, case_ids: list[int], body: str, at: datetime) -> str:
    """Nothing is guessed: each case the reply might answer says so in its ledger, for a person to ask."""
    reason = f"SMS reply {body.strip()!r} not applied: it could answer cases {case_ids}; a person asks which"
    for case_id in case_ids:
        note_case(connection, case_id, reason, "holder", at, details={"reply": body, "cases": case_ids})
    return "ambiguous"


def _invited(connection: Connection, number: str) -> list[int]:
    """The cases awaiting consent whose invitation went to this mobile by SMS."""
    query = (
        select(cases.c.id)
        .distinct()
        .join(notifications, notifications.c.case_id == cases.c.id)
        .where(
            notifications.c.recipient == number,
            notifications.c.event == Event.CONSENT_REQUEST.value,
            notifications.c.channel == "sms",
            notifications.c.sent_at.is_not(None),
            cases.c.state == State.AWAITING_CONSENT.value,
        )
    )
    return list(connection.execute(query).scalars())


def _invited_to_rate(connection: Connection, number: str, at: datetime) -> list[tuple[int, bool]]:
    """The cases whose rating invitation went to this mobile within the days it awaits a reply, each with whether
    it is rated already."""
    query = (
        select(notifications.c.case_id, ratings.c.grade.is_not(None))
        .outerjoin(ratings, ratings.c.case_id == notifications.c.case_id)
        .where(
            notifications.c.recipient == number,
            notifications.c.event == Event.RATING_INVITATION.value,
            notifications.c.channel == "sms",
            notifications.c.sent_at >= at - REPLY_WINDOW,
        )
        .order_by(notifications.c.case_id)
    )
    return [(case_id, bool(graded)) for case_id, graded in connection.execute(query)]
