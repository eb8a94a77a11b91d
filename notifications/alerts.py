"""运行告警 by SMS: the bureau's operator is told when a scheduled job of the service failed or degraded, through the
same outbox as every other SMS (sending hours, retries, reconciliation). A staff message (ground/events.py
STAFF_EVENTS): not held to a holder's daily cap, and no letter replaces one that cannot go. One SMS a run: its
natural key is the run's."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from ground.events import Event
from notifications import outbox
from notifications.notifier import Notifier
from notifications.recipients import mobile
from notifications.sms import TemplateNotApproved
from notifications.sms_text import SmsRuleError

OPERATOR = "运维值班人员"  # the operator on duty: the setting names a mobile, not a person


def enqueue_ops_alert(
    engine: Engine, notifier: Notifier, number: str, job_id: str, run_id: int, outcome: str, at: datetime
) -> str | None:
    """Record the alert for the run in the outbox; the notify round sends it. None, or why it was not recorded."""
    recipient = mobile(number)
    if recipient is None:
        return f"{number[:3]}…: not a Chinese mobile number"
    local = at.astimezone(notifier.zone)
    context = {
        "recipient_name": OPERATOR,
        "job": job_id,
        "outcome": outcome,
        "at": f"{local.month}月{local.day}日{local:%H:%M}",
        "bureau": notifier.settings.bureau.model_dump(),
    }
    try:
        sms = notifier.templates[Event.OPS_ALERT].render(context)
    except (TemplateNotApproved, SmsRuleError) as exc:
        return str(exc)
    now = at.astimezone(UTC)
    outbox.record(engine, [outbox.staff_sms(f"ops:{job_id}:run:{run_id}", None, recipient, context, sms, now)])
    return None
