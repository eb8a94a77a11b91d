"""The 惠企政策免申即享 notice: a paid subsidy case tells its company once — by SMS when it has a usable mobile,
otherwise by letter — with the policy, the amount, the period and the day of payment; then the case moves on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ground.store.tables import case_transitions, cases, notifications
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from notifications.letter_run import print_due_letters
from notifications.notifier import Notifier
from notifications.outbox import Status
from notifications.senders.base import SendError
from tests.notifications.conftest import NOON, TODAY, ScriptedSender
from tests.subsidies.world import MOBILE, add_subject, add_subsidy_case

# 01:30 on 25 November in Shanghai, still the 24th in UTC: the notice gives the bureau's day.
PAID_AT = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)
SMS = (
    "【鄂托克旗政务服务】鄂托克旗第1号科技有限公司：您单位符合高新技术企业认定奖励政策条件，2026年度奖补资金"
    "200,000元已于2026年11月25日拨付至单位银行账户。无需申请，无需办理任何手续，也不收取任何费用。咨询0477-6212345"
)


def paid(engine: Engine, n: int, **subject: Any) -> int:
    key = add_subject(engine, n, **subject)
    return add_subsidy_case(engine, key, "paid", paid_at=PAID_AT, payment_ref=f"GK{n}", application_no=f"SQ{n}")


def outbox(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(notifications).order_by(notifications.c.id)).mappings()]


def state(engine: Engine, case_id: int) -> str:
    with engine.connect() as connection:
        return str(connection.execute(select(cases.c.state).where(cases.c.id == case_id)).scalar_one())


def test_a_paid_subsidy_gets_one_sms_with_its_policy_amount_period_and_day_and_the_case_moves_on(
    store: Engine, notifier: Notifier, sender: ScriptedSender
) -> None:
    case_id = paid(store, 1)

    first = enqueue_due(store, notifier, TODAY, NOON)
    again = enqueue_due(store, notifier, TODAY, NOON)
    sent = dispatch(store, notifier, sender, NOON)
    dispatch(store, notifier, sender, NOON + timedelta(minutes=5))
    after = enqueue_due(store, notifier, TODAY, NOON + timedelta(minutes=10))

    assert first.recorded == {"sms": 1, "letter": 0} and again.recorded == after.recorded == {"sms": 0, "letter": 0}
    assert sent.as_counts() == {"sent": 1} and sender.sent == [(MOBILE, SMS)]
    [row] = outbox(store)
    assert (row["natural_key"], row["event"], row["segments"]) == (
        f"case:{case_id}:subsidy_granted",
        "subsidy_granted",
        2,
    )
    assert state(store, case_id) == "notified"
    with store.connect() as connection:
        reason = connection.execute(
            select(case_transitions.c.reason).where(
                case_transitions.c.case_id == case_id, case_transitions.c.new_state == "notified"
            )
        ).scalar_one()
    assert reason == "holder told by sms"


@pytest.mark.parametrize(
    "case_state",
    [
        "routed",  # matched: nobody applied, nothing is asked of the company
        "prefilled",
        "approved",  # approved but not yet paid: the money is not there
        "returned",  # the department's and the policy officer's business
    ],
)
def test_a_subsidy_says_nothing_before_it_is_paid(store: Engine, notifier: Notifier, case_state: str) -> None:
    add_subsidy_case(store, add_subject(store, 2), case_state)
    assert enqueue_due(store, notifier, TODAY, NOON).recorded == {"sms": 0, "letter": 0}


def test_a_refused_sms_is_replaced_by_a_letter_to_the_company_s_address(
    store: Engine, notifier: Notifier, sender: ScriptedSender
) -> None:
    case_id = paid(store, 3)
    enqueue_due(store, notifier, TODAY, NOON)
    sender.script = [SendError("invalid number (21211)", permanent=True, code="21211")]

    dispatch(store, notifier, sender, NOON)

    sms, letter = outbox(store)
    assert (sms["status"], letter["channel"], letter["fallback_of"]) == ("rejected", "letter", sms["id"])
    assert letter["address"]["name"] == "鄂托克旗第3号科技有限公司" and letter["address"]["lines"]
    assert letter["context"] == sms["context"] and state(store, case_id) == "paid", "told only once the letter is out"


def test_without_a_mobile_a_one_off_subsidy_gets_a_letter_and_printing_it_moves_the_case(
    sqlite_store: Engine, notifier: Notifier
) -> None:
    key = add_subject(sqlite_store, 4, mobile=None)
    case_id = add_subsidy_case(sqlite_store, key, "paid", period="once", paid_at=PAID_AT, payment_ref="GK4")

    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    report = print_due_letters(sqlite_store, notifier, TODAY, NOON)

    [letter] = outbox(sqlite_store)
    assert (letter["channel"], letter["error"], letter["status"]) == ("letter", "无有效手机号", Status.PRINTED)
    assert letter["context"]["period"] == "一次性" and letter["context"]["paid_on"] == "2026-11-25"
    assert report.outcomes["printed"] == 1 and state(sqlite_store, case_id) == "notified"
