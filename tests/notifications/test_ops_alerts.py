"""运行告警: the operator's SMS about a failed or degraded job goes through the outbox like any other SMS, once per
run, not held to a holder's daily cap."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from agent.jobs import REFRESH_JOB_ID, recorded_run
from ground.settings import OpsSettings
from ground.store.tables import notifications
from notifications.alerts import enqueue_ops_alert
from notifications.dispatch import dispatch
from notifications.notifier import Notifier
from tests.notifications.conftest import MOBILE, NOON, ScriptedSender, make_notifier


def test_the_alert_goes_out_through_the_outbox_once_per_run(
    store: Engine, notifier: Notifier, sender: ScriptedSender
) -> None:
    for _ in range(2):  # the same run recorded twice: one SMS
        assert enqueue_ops_alert(store, notifier, "13912345678", REFRESH_JOB_ID, 7, "失败", NOON) is None

    dispatch(store, notifier, sender, NOON)

    [(to, body)] = sender.sent
    assert to == MOBILE
    assert "自动服务任务registry-refresh于11月25日12:00运行失败" in body and body.startswith("【")


def test_a_degraded_run_records_the_operators_alert(store: Engine, tmp_path: Path) -> None:
    ops = OpsSettings(alert_mobile="13912345678")

    with recorded_run(store, REFRESH_JOB_ID, ops, lambda: make_notifier(tmp_path)) as run:
        run.degrade("cases left unrouted: no trained model yet; 3 cases wait")
    with recorded_run(store, REFRESH_JOB_ID, ops, lambda: make_notifier(tmp_path)):
        pass  # a good run: no alert

    with store.connect() as connection:
        rows = connection.execute(select(notifications.c.event, notifications.c.recipient, notifications.c.body)).all()
    [(event, recipient, body)] = rows
    assert event == "ops_alert" and recipient == MOBILE and "运行部分完成" in body
