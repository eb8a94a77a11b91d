"""The chases' SMS through the outbox (SQLite and PostgreSQL): what the department's contact and supervisor read,
one message per chase, cancelled once the decision arrives, never held to a holder's daily cap, and never turned
into a letter to the holder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.store.tables import notifications
from notifications.chases import DECIDED, enqueue_chases
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from notifications.notifier import Notifier
from notifications.senders.base import SendError
from sandbox.sms_gateway.process import gateway_process
from tests.chasing.conftest import Filer, at, filer, run_chases
from tests.notifications.conftest import TODAY, ScriptedSender, make_notifier
from tests.notifications.test_twilio_gateway import at_gateway, twilio_notifier

NOON = at("2026-10-12", "12:00")


def outbox(store: Engine) -> list[dict[str, Any]]:
    with store.connect() as connection:
        return [dict(row) for row in connection.execute(select(notifications).order_by(notifications.c.id)).mappings()]


def test_the_contact_reads_the_matter_its_number_and_how_long_it_waited(
    store: Engine, notifier: Notifier, file_case: Filer
) -> None:
    case_id = file_case()
    run_chases(store, "2026-10-09")
    first, again = enqueue_chases(store, notifier, NOON), enqueue_chases(store, notifier, NOON)

    assert first.as_counts() == {"new sms": 1, "cancelled": 0} and again.recorded == 0
    (sms,) = outbox(store)
    assert (sms["case_id"], sms["event"], sms["recipient"], sms["status"]) == (
        case_id,
        "chase",
        "+8613904770101",
        "created",
    )
    assert sms["body"] == (
        f"【鄂托克旗政务服务】王丽娜您好：贵单位待审批办件“食品经营许可延续申请书”（办件编号SQ-{case_id}）"
        "于2026年9月30日提交，承诺1个工作日内办结，现已等待2个工作日，已超承诺时限，请尽快审批。此为第1次催办。"
        "联系电话0477-6212345"
    )
    assert "餐饮店" not in sms["body"] and "JY" not in sms["body"]  # nothing of the holder's beyond the case number


def test_a_chase_of_an_earlier_filing_is_not_sent_once_the_case_is_filed_again(
    store: Engine, notifier: Notifier, file_case: Filer
) -> None:
    case_id = file_case()
    run_chases(store, "2026-10-09")  # the first filing's chase, its SMS not yet recorded
    with store.begin() as connection:
        for state in (State.RETURNED, State.ROUTED, State.CONSENTED):
            move_case(connection, case_id, state, str(state), "test", at("2026-10-09", "11:00"))
        move_case(connection, case_id, State.PREFILLED, "filed again", "bot:prefill", at("2026-10-12", "14:00"))

    assert enqueue_chases(store, notifier, NOON).recorded == 0  # it would tell the approver of the wrong wait
    run_chases(store, "2026-10-14")
    assert enqueue_chases(store, notifier, at("2026-10-14", "12:00")).recorded == 1
    (sms,) = outbox(store)
    assert sms["case_id"] == case_id and "现已等待2个工作日" in sms["body"]


def test_the_supervisor_reads_the_department_its_contact_and_the_chases_before(
    store: Engine, notifier: Notifier, file_case: Filer
) -> None:
    case_id = file_case()
    for day in ("2026-10-09", "2026-10-10", "2026-10-12"):
        run_chases(store, day)
        enqueue_chases(store, notifier, at(day, "09:05"))
    *_, sms = outbox(store)
    assert sms["recipient"] == "+8613904770102"
    assert sms["body"] == (
        f"【鄂托克旗政务服务】李建军您好：鄂托克旗市场监督管理局待审批办件“食品经营许可延续申请书”（办件编号SQ-{case_id}，"
        "联络人王丽娜）于2026年9月30日提交，承诺1个工作日内办结，现已等待4个工作日，此前已催办2次仍未办结，请督促办理。"
        "此为第3次催办。联系电话0477-6212345"
    )


def test_a_chase_not_yet_sent_is_cancelled_when_the_decision_arrives(
    store: Engine, notifier: Notifier, file_case: Filer
) -> None:
    case_id = file_case()
    run_chases(store, "2026-10-09")
    enqueue_chases(store, notifier, NOON)
    with store.begin() as connection:
        move_case(connection, case_id, State.APPROVED, "approved", "bot:status_sync", NOON)

    assert enqueue_chases(store, notifier, NOON).as_counts() == {"new sms": 0, "cancelled": 1}
    (sms,) = outbox(store)
    assert (sms["status"], sms["error"]) == ("cancelled", DECIDED)


def test_the_holders_notices_leave_a_waiting_chase_alone(store: Engine, notifier: Notifier, file_case: Filer) -> None:
    file_case()
    run_chases(store, "2026-10-09")
    enqueue_chases(store, notifier, NOON)
    enqueue_due(store, notifier, TODAY, NOON)
    assert [row["status"] for row in outbox(store) if row["event"] == "chase"] == ["created"]


def test_every_chase_to_one_contact_goes_the_same_day_and_a_refused_one_becomes_no_letter(
    store: Engine, tmp_path: Path, file_case: Filer, sender: ScriptedSender
) -> None:
    notifier = make_notifier(tmp_path, daily_cap=2)
    for _ in range(4):
        file_case()
    run_chases(store, "2026-10-09")
    enqueue_chases(store, notifier, NOON)
    sender.script = [SendError("Invalid 'To' Phone Number", code="21211", permanent=True)]

    report = dispatch(store, notifier, sender, NOON)

    assert report.as_counts() == {"refused": 1, "sent": 3}  # over the holders' cap of 2: staff are not held to it
    assert [row["channel"] for row in outbox(store)] == ["sms"] * 4  # no letter to the holder in its place


def test_a_chase_whose_template_is_not_approved_is_named_and_not_sent(
    store: Engine, tmp_path: Path, file_case: Filer
) -> None:
    notifier = make_notifier(tmp_path, carrier_templates={})
    case_id = file_case()
    run_chases(store, "2026-10-09")
    report = enqueue_chases(store, notifier, NOON)
    assert report.recorded == 0 and outbox(store) == []
    (warning,) = report.warnings
    assert warning.startswith(f"chase case:{case_id}:chase:") and warning.endswith(
        ":1 not sent: no carrier-approved SMS template for chase"
    )


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with gateway_process(tmp_path_factory.mktemp("gateway") / "gateway.db") as url:
        yield url


def test_a_chase_goes_through_twilio_to_the_gateway_as_recorded(
    sqlite_store: Engine, gateway: str, tmp_path: Path
) -> None:
    notifier = twilio_notifier(tmp_path, gateway)
    filer(sqlite_store)()
    run_chases(sqlite_store, "2026-10-09")
    enqueue_chases(sqlite_store, notifier, NOON)

    assert dispatch(sqlite_store, notifier, notifier.sender(), NOON).as_counts() == {"sent": 1}
    (sms,) = outbox(sqlite_store)
    (message,) = [m for m in at_gateway(gateway, "+8613904770101") if m.sid == sms["provider_sid"]]
    assert message.body == sms["body"]
