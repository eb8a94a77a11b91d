"""The outbox: each notice recorded once under its natural key, sent once, held in quiet hours, and replaced by a
letter when an SMS cannot go. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from ground.store.tables import cases, notifications, sms_opt_outs
from notifications import outbox as outbox_module
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from notifications.notifier import Notifier
from notifications.senders.base import Accepted, SendError
from tests.notifications.conftest import MOBILE, NOON, SHANGHAI, TODAY, CaseMaker, ScriptedSender


def outbox(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(notifications).order_by(notifications.c.id)).mappings()]


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive UTC, PostgreSQL aware datetimes."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_each_due_notice_is_recorded_once_with_its_channel(
    store: Engine, notifier: Notifier, add_case: CaseMaker
) -> None:
    filed = add_case("prefilled", "seamless", application_no="SQ1")
    no_mobile = add_case("routed", "assisted", mobile=None)
    add_case("routed", "seamless")  # the bot has not filed it yet: nothing to say
    first = enqueue_due(store, notifier, TODAY, NOON)
    again = enqueue_due(store, notifier, TODAY, NOON)
    rows = outbox(store)
    assert first.recorded == {"sms": 1, "letter": 1} and again.recorded == {"sms": 0, "letter": 0}
    sms, letter = rows
    assert (sms["case_id"], sms["event"], sms["channel"]) == (filed, "seamless_started", "sms")
    assert sms["recipient"] == MOBILE and sms["body"].startswith("【") and "SQ1" in sms["body"]
    assert (letter["case_id"], letter["event"], letter["channel"]) == (no_mobile, "supply_materials", "letter")
    assert letter["error"] == "无有效手机号"
    assert letter["address"] == {
        "name": letter["address"]["name"],
        "lines": ["内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇", "团结路18号"],  # broken between place names, not inside one
        "township": "乌兰镇",  # its postcode is looked up when the letter is printed
    }
    assert "食品经营许可延续申请书" in letter["context"]["missing"][0]


def test_a_message_is_sent_once_however_often_dispatch_runs(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("prefilled", "seamless", application_no="SQ1")
    enqueue_due(store, notifier, TODAY, NOON)
    first = dispatch(store, notifier, sender, NOON)
    second = dispatch(store, notifier, sender, NOON + timedelta(minutes=5))
    assert first.as_counts() == {"sent": 1} and second.as_counts() == {}
    assert len(sender.sent) == 1
    assert outbox(store)[0]["status"] == "queued" and outbox(store)[0]["provider_sid"]


def test_sms_due_at_night_wait_for_the_morning(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("prefilled", "seamless", application_no="SQ1")
    night = local("2026-11-25 23:10")
    enqueue_due(store, notifier, TODAY, night)
    held = dispatch(store, notifier, sender, night)
    assert held.as_counts() == {"held (quiet hours)": 1} and sender.sent == []
    assert as_utc(outbox(store)[0]["due_at"]) == local("2026-11-26 08:00")
    assert dispatch(store, notifier, sender, local("2026-11-26 07:59")).as_counts() == {}
    assert dispatch(store, notifier, sender, local("2026-11-26 08:01")).as_counts() == {"sent": 1}


def test_a_holder_who_opted_out_gets_a_letter_instead(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("prefilled", "seamless", application_no="SQ1")
    enqueue_due(store, notifier, TODAY, NOON)
    with store.begin() as connection:
        connection.execute(sms_opt_outs.insert().values(mobile=MOBILE, source="reply", detail="TD", at=NOON))
    report = dispatch(store, notifier, sender, NOON)
    sms, letter = outbox(store)
    assert report.as_counts() == {"opted out: letter instead": 1} and sender.sent == []
    assert (sms["status"], letter["channel"], letter["fallback_of"], letter["event"]) == (
        "rejected",
        "letter",
        sms["id"],
        "seamless_started",
    )


def test_an_invalid_number_is_permanent_and_an_unsubscribed_one_is_remembered(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("prefilled", "seamless", application_no="SQ1")
    enqueue_due(store, notifier, TODAY, NOON)
    sender.script = [SendError("unsubscribed (21610)", permanent=True, code="21610")]
    report = dispatch(store, notifier, sender, NOON)
    assert report.as_counts() == {"refused: letter instead": 1}
    assert [row["channel"] for row in outbox(store)] == ["sms", "letter"]
    with store.connect() as connection:
        assert connection.execute(select(sms_opt_outs.c.source).where(sms_opt_outs.c.mobile == MOBILE)).scalar() == (
            "provider"
        )


def test_passing_failures_back_off_and_end_in_a_letter(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("prefilled", "seamless", application_no="SQ1")
    enqueue_due(store, notifier, TODAY, NOON)
    attempts = notifier.settings.sms.max_attempts
    sender.script = [SendError("Twilio answered 503", permanent=False, code="503")] * attempts
    moment, outcomes = NOON, []
    for _ in range(attempts):
        outcomes.append(dispatch(store, notifier, sender, moment).as_counts())
        assert dispatch(store, notifier, sender, moment + timedelta(seconds=1)).as_counts() == {}  # backing off
        moment += timedelta(minutes=30)
    assert outcomes[:-1] == [{"retry later": 1}] * (attempts - 1)
    assert outcomes[-1] == {"refused: letter instead": 1}
    assert [row["channel"] for row in outbox(store)] == ["sms", "letter"]


def test_a_send_with_no_answer_is_reconciled_not_repeated(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("prefilled", "seamless", application_no="SQ1")
    enqueue_due(store, notifier, TODAY, NOON)
    sender.script = [SendError("no answer", permanent=False, uncertain=True)]
    assert dispatch(store, notifier, sender, NOON).as_counts() == {"uncertain: reconcile": 1}
    assert outbox(store)[0]["status"] == "sending"
    sender.provider_has = [Accepted("SM" + "f" * 32, "delivered")]  # it had arrived after all
    later = dispatch(store, notifier, sender, NOON + timedelta(minutes=5))
    assert later.as_counts() == {"reconciled: had been sent": 1}
    assert sender.sent == [] and outbox(store)[0]["status"] == "delivered"


def test_a_send_that_never_arrived_is_sent_once_after_reconciling(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("prefilled", "seamless", application_no="SQ1")
    enqueue_due(store, notifier, TODAY, NOON)
    sender.script = [SendError("no answer", permanent=False, uncertain=True)]
    dispatch(store, notifier, sender, NOON)
    later = dispatch(store, notifier, sender, NOON + timedelta(minutes=5))
    assert later.as_counts() == {"reconciled: not sent, queued again": 1, "sent": 1}
    assert len(sender.sent) == 1


def test_the_daily_cap_holds_the_rest_until_tomorrow(
    store: Engine, tmp_path: Any, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    from tests.notifications.conftest import make_notifier

    notifier = make_notifier(tmp_path, daily_cap=1)
    add_case("prefilled", "seamless", application_no="SQ1")
    add_case("routed", "remind", expires_on=date(2026, 12, 1))  # same holder mobile, a second notice
    enqueue_due(store, notifier, TODAY, NOON)
    report = dispatch(store, notifier, sender, NOON)
    assert report.as_counts() == {"sent": 1, "held (daily cap)": 1}
    assert dispatch(store, notifier, sender, local("2026-11-26 08:30")).as_counts() == {"sent": 1}


def test_a_reminder_no_longer_due_is_cancelled_and_the_renewed_licence_is_told_once(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    case_id = add_case("routed", "remind", expires_on=date(2026, 12, 10), window=(date(2026, 9, 1), date(2026, 11, 30)))
    enqueue_due(store, notifier, TODAY, local("2026-11-25 23:00"))  # recorded at night, waiting for the morning
    with store.begin() as connection:
        renewed = {"state": "done", "application_no": "SQ9", "new_expires_on": date(2031, 11, 24)}
        connection.execute(update(cases).where(cases.c.id == case_id).values(renewed))
    report = enqueue_due(store, notifier, TODAY, NOON)
    assert report.cancelled == 1 and report.recorded["sms"] == 1
    dispatch(store, notifier, sender, NOON)
    assert [(row["event"], row["status"]) for row in outbox(store)] == [
        ("expiry_reminder", "cancelled"),
        ("renewed", "queued"),
    ]
    assert "新有效期至2031年11月24日" in sender.sent[0][1]  # the term our records hold
    enqueue_due(store, notifier, TODAY, NOON + timedelta(days=1))  # a day on, only the 好差评 invitation is new
    assert [row["event"] for row in outbox(store)] == ["expiry_reminder", "renewed", "rating_invitation"]


def test_a_reminder_states_the_working_days_left_only_from_a_published_calendar(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    add_case("routed", "remind", expires_on=date(2026, 12, 31), window=(date(2026, 8, 1), date(2026, 12, 10)))
    add_case("routed", "remind", expires_on=date(2027, 1, 20), window=(date(2026, 9, 1), date(2027, 1, 4)))
    enqueue_due(store, notifier, TODAY, NOON)
    dispatch(store, notifier, sender, NOON)

    published, provisional = sorted((body for _, body, *_ in sender.sent), key=lambda body: "2027年1月" in body)
    assert "请于2026年12月10日前申请延续（还有11个工作日）" in published
    assert "请于2027年1月4日前申请延续，" in provisional and "工作日" not in provisional, "2027 is not yet published"


def test_a_stop_request_during_dispatch_finishes_the_sms_in_hand_and_leaves_the_rest(
    store: Engine, notifier: Notifier, add_case: CaseMaker
) -> None:
    for n in range(5):
        add_case("prefilled", "seamless", application_no=f"SQ{n}", mobile=f"+86139123456{n:02d}")
    enqueue_due(store, notifier, TODAY, NOON)
    stop = threading.Event()

    class SigtermDuringSecondSend(ScriptedSender):
        def send(self, to: str, body: str, reference: int) -> Accepted:
            if len(self.sent) == 1:
                stop.set()  # as the service's SIGTERM handler does, while this send is under way
            return super().send(to, body, reference)

    sender = SigtermDuringSecondSend()
    report = dispatch(store, notifier, sender, NOON, keep_going=lambda: not stop.is_set())
    assert report.as_counts() == {"sent": 2} and len(sender.sent) == 2
    assert report.warnings == ["stopped on request; 3 SMS left for the next run"]
    assert [row["status"] for row in outbox(store)] == ["queued"] * 2 + ["created"] * 3


def test_a_struggling_provider_stops_the_round_after_three_failures_in_a_row(
    store: Engine, notifier: Notifier, add_case: CaseMaker, sender: ScriptedSender
) -> None:
    for n in range(5):
        add_case("prefilled", "seamless", application_no=f"SQ{n}", mobile=f"+86139123456{n:02d}")
    enqueue_due(store, notifier, TODAY, NOON)
    sender.script = [
        SendError("Twilio answered 429", permanent=False, code="429"),
        SendError("no answer", permanent=False, uncertain=True),  # may have been sent: it counts as struggling too
        SendError("Twilio answered 429", permanent=False, code="429"),
    ]

    report = dispatch(store, notifier, sender, NOON)

    assert report.as_counts() == {"retry later": 2, "uncertain: reconcile": 1} and sender.sent == []
    assert report.warnings == ["the SMS provider looks down: 3 in a row failed; 2 SMS left for the next run"]
    untouched = [row for row in outbox(store) if row["attempts"] == 0]
    assert len(untouched) == 2 and all(row["status"] == "created" for row in untouched)


def test_the_notices_already_recorded_are_found_whichever_part_of_a_long_key_list_they_are_in(
    store: Engine, notifier: Notifier, add_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every open case's keys are looked up each round, a bounded number a statement: each part is counted."""
    add_case("prefilled", "seamless", application_no="SQ1")
    add_case("routed", "assisted", mobile=None)
    enqueue_due(store, notifier, TODAY, NOON)
    first, second = (row["natural_key"] for row in outbox(store))
    monkeypatch.setattr(outbox_module, "KEYS_AT_ONCE", 2)
    keys = [first, "case:900:expiry_reminder:30", "case:901:renewed", "case:902:renewed", second]
    with store.connect() as connection:
        assert outbox_module.recorded_keys(connection, keys) == {first, second}
