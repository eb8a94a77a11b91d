"""好差评 by SMS: a finished case's holder is invited once, after being told it is done; the reply is read in the
forms phones send it and routed by the question the mobile has open; one rating per case; one help, never a loop."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from ground.store.tables import case_transitions, cases, notifications, rating_follow_ups, ratings
from notifications.callbacks import apply_reply
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from notifications.notifier import Notifier
from notifications.senders.base import SendError
from notifications.webhooks import create_webhooks
from tests.notifications.conftest import MOBILE, NOON, TODAY, CaseMaker, ScriptedSender, make_notifier
from tests.notifications.test_webhooks import PUBLIC, TOKEN, signed
from tests.subsidies.world import add_subject, add_subsidy_case

LATER = NOON + timedelta(hours=3)  # the holder has read that the case is done: the invitation is due
REPLIED = LATER + timedelta(minutes=10)
INVITATION = (
    "【鄂托克旗政务服务】乌兰镇第1号餐饮店：您的食品经营许可证（JY11506240000001）延续已办结。请您评价本次服务，"
    "回复数字即可：1非常满意，2满意，3基本满意，4不满意，5非常不满意。咨询0477-6212345"
)


@pytest.fixture
def notifier(tmp_path: Path) -> Notifier:
    return make_notifier(tmp_path, auth_token=TOKEN, public_url=PUBLIC)


def send_due(store: Engine, notifier: Notifier, sender: ScriptedSender, at: Any) -> None:
    enqueue_due(store, notifier, TODAY, at)
    dispatch(store, notifier, sender, at)


def renewed(add_case: CaseMaker, **holder: Any) -> int:
    """A renewal done today: its licence renewed in our records."""
    return add_case("done", "seamless", application_no="SQ1", new_expires_on=date(2031, 11, 24), **holder)


def invited(store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender) -> int:
    """A renewal done, its holder told at noon and invited three hours later: the case id."""
    case_id = renewed(add_case)
    send_due(store, notifier, sender, NOON)
    send_due(store, notifier, sender, LATER)
    return case_id


def events(store: Engine) -> list[tuple[str, str]]:
    with store.connect() as connection:
        query = select(notifications.c.event, notifications.c.channel).order_by(notifications.c.id)
        return [(event, channel) for event, channel in connection.execute(query)]


def reply(store: Engine, notifier: Notifier, body: str, at: Any = REPLIED) -> str:
    """A reply from MOBILE, as the signed webhook applies it: what happened."""
    return apply_reply(store, notifier, f"SM{uuid4().hex}", MOBILE, body, at)


def grade(store: Engine, case_id: int) -> int | None:
    with store.connect() as connection:
        return connection.execute(select(ratings.c.grade).where(ratings.c.case_id == case_id)).scalar_one_or_none()


def ledger(store: Engine, case_id: int) -> list[str]:
    with store.connect() as connection:
        query = select(case_transitions.c.reason).where(case_transitions.c.case_id == case_id)
        return list(connection.execute(query.order_by(case_transitions.c.id)).scalars())


def test_a_finished_renewal_is_invited_once_by_sms_after_its_holder_read_that_it_is_done(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    renewed(add_case)
    send_due(store, notifier, sender, NOON)
    send_due(store, notifier, sender, NOON + timedelta(hours=1))  # too soon: the result is read first
    assert events(store) == [("renewed", "sms")]

    send_due(store, notifier, sender, LATER)
    send_due(store, notifier, sender, LATER + timedelta(days=1))

    assert events(store) == [("renewed", "sms"), ("rating_invitation", "sms")]
    assert sender.sent[1] == (MOBILE, INVITATION)


def test_a_paid_subsidy_is_invited_naming_its_policy_and_period(
    store: Engine, notifier: Notifier, sender: ScriptedSender
) -> None:
    add_subsidy_case(store, add_subject(store, 1), "paid", paid_at=NOON, payment_ref="GK1", application_no="SQ1")
    send_due(store, notifier, sender, NOON)
    send_due(store, notifier, sender, LATER)

    assert events(store) == [("subsidy_granted", "sms"), ("rating_invitation", "sms")]
    assert "您单位的高新技术企业认定奖励（2026年度）资金拨付已办结。请您评价本次服务" in sender.sent[1][1]


@pytest.mark.parametrize(
    "case_state",
    [
        "approved",  # approved on the platform, not yet renewed in our records: not done
        "prefilled",
        "lapsed",  # ended, but nothing was done for the holder
    ],
)
def test_a_case_not_done_is_not_invited(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender, case_state: str
) -> None:
    add_case(case_state, "seamless", application_no="SQ1")
    send_due(store, notifier, sender, NOON)
    send_due(store, notifier, sender, LATER)
    assert ("rating_invitation", "sms") not in events(store)


def test_a_holder_told_by_letter_is_not_invited_and_no_letter_asks_instead(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    renewed(add_case, mobile=None)
    send_due(store, notifier, sender, NOON)
    send_due(store, notifier, sender, LATER)
    assert events(store) == [("renewed", "letter")]


def test_a_holder_who_opted_out_after_the_result_is_not_invited_and_no_letter_asks_instead(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    renewed(add_case)
    send_due(store, notifier, sender, NOON)
    assert reply(store, notifier, "TD", at=NOON + timedelta(minutes=30)) == "opted out"
    send_due(store, notifier, sender, LATER)
    assert events(store) == [("renewed", "sms")]


def test_an_invitation_refused_for_good_is_not_replaced_by_a_letter(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    renewed(add_case)
    send_due(store, notifier, sender, NOON)
    sender.script = [SendError("21211 Invalid phone number", permanent=True, code="21211")]
    send_due(store, notifier, sender, LATER)
    assert events(store) == [("renewed", "sms"), ("rating_invitation", "sms")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("1", 1),
        ("５", 5),  # full-width, as a Chinese keyboard types it
        (" 3。", 3),
        ("非常满意", 1),
        ("满意", 2),  # part of 非常满意 and 不满意: read whole, it is 2
        ("基本满意", 3),
        ("不满意", 4),  # part of 非常不满意: read whole, it is 4
        ("非常不满意！", 5),
        ("4不满意", 4),  # copied from the invitation
    ],
)
def test_each_reply_form_rates_the_case(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender, body: str, expected: int
) -> None:
    case_id = invited(store, notifier, add_case, sender)
    assert reply(store, notifier, body).startswith(f"rated {expected}")
    assert grade(store, case_id) == expected
    assert f"rated {expected}" in ledger(store, case_id)[-1 if expected < 4 else -2]


def test_a_case_is_rated_once_and_a_second_reply_says_so(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    case_id = invited(store, notifier, add_case, sender)
    assert reply(store, notifier, "1") == "rated 1"
    assert reply(store, notifier, "5") == f"ignored: case {case_id} is already rated"
    assert grade(store, case_id) == 1


def test_an_unreadable_reply_gets_one_help_sms_and_a_second_gets_nothing(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    case_id = invited(store, notifier, add_case, sender)
    assert reply(store, notifier, "挺好的") == "unreadable: help SMS"
    send_due(store, notifier, sender, REPLIED)
    assert reply(store, notifier, "？？") == "ignored: unreadable again (one help only)"
    send_due(store, notifier, sender, REPLIED + timedelta(minutes=5))

    assert [event for event, _ in events(store)] == ["renewed", "rating_invitation", "rating_help"]
    assert sender.sent[-1][1] == (
        "【鄂托克旗政务服务】乌兰镇第1号餐饮店：未能识别您的评价回复。请只回复一个数字：1非常满意，2满意，3基本满意，"
        "4不满意，5非常不满意。咨询0477-6212345"
    )
    assert reply(store, notifier, "2") == "rated 2" and grade(store, case_id) == 2


def test_a_help_still_waiting_when_the_holder_rates_is_not_sent(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    invited(store, notifier, add_case, sender)
    night = NOON + timedelta(hours=10)  # 22:00: the help waits for the morning
    reply(store, notifier, "嗯", at=night)
    send_due(store, notifier, sender, night)
    reply(store, notifier, "1", at=night + timedelta(minutes=5))
    assert enqueue_due(store, notifier, TODAY, night + timedelta(minutes=10)).cancelled == 1


def test_a_reply_while_consent_and_a_rating_are_both_asked_is_left_to_a_person(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    done = renewed(add_case)
    waiting = add_case("awaiting_consent", "seamless", consent_deadline=date(2026, 12, 2))
    send_due(store, notifier, sender, NOON)
    send_due(store, notifier, sender, LATER)
    assert sorted(event for event, _ in events(store)) == ["consent_request", "rating_invitation", "renewed"]

    assert reply(store, notifier, "1") == "ambiguous"

    with store.connect() as connection:
        state = connection.execute(select(cases.c.state).where(cases.c.id == waiting)).scalar_one()
    assert state == "awaiting_consent" and grade(store, done) is None
    assert "could answer cases" in ledger(store, done)[-1] and "could answer cases" in ledger(store, waiting)[-1]


def test_a_consent_reply_still_reaches_its_case_once_the_rating_is_given(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    invited(store, notifier, add_case, sender)
    reply(store, notifier, "2")
    waiting = add_case("awaiting_consent", "seamless", consent_deadline=date(2026, 12, 2))
    send_due(store, notifier, sender, REPLIED)
    assert reply(store, notifier, "1", at=REPLIED + timedelta(minutes=5)) == "consent given"
    with store.connect() as connection:
        assert connection.execute(select(cases.c.state).where(cases.c.id == waiting)).scalar_one() == "consented"


def test_a_poor_rating_opens_a_follow_up_for_the_holders_township(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    case_id = invited(store, notifier, add_case, sender)
    assert reply(store, notifier, "不满意") == "rated 4: follow-up due 2026-12-16"  # 15 working days after 25 Nov
    with store.connect() as connection:
        follow_up = connection.execute(select(rating_follow_ups)).mappings().one()
    assert (follow_up["case_id"], follow_up["township"], follow_up["officer"]) == (case_id, "乌兰镇", None)
    assert follow_up["due_on"] == date(2026, 12, 16)


def test_a_signed_reply_through_the_webhook_rates_the_case(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    case_id = invited(store, notifier, add_case, sender)
    client = TestClient(create_webhooks(store, notifier, lambda: REPLIED))
    form = {"From": MOBILE, "Body": "１", "MessageSid": f"SM{uuid4().hex}"}
    assert client.post("/sms/inbound", data=form, headers=signed("/sms/inbound", form)).status_code == 200
    assert grade(store, case_id) == 1
