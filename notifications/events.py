"""The values each event's templates receive (the events themselves are ground.events).

Every template of an event (SMS and letter) is rendered from the same context: the common values below plus the
event's own. `SAMPLES` holds realistic values for each event: `proactive notify preview` and the meta-test render
every template with them.

The 好差评 events are SMS only: the invitation is answered by an SMS reply and the help explains such a reply, so a
letter could not be answered; a holder who cannot be reached by SMS is not asked, and nothing falls back to a letter.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ground.events import STAFF_EVENTS, Event

# Values every template to a holder receives, whatever the event; a message to staff gets only `bureau`. `bureau`
# comes from the settings (notify.bureau).
COMMON_SAMPLE: dict[str, Any] = {
    "holder_name": "鄂托克旗乌兰镇草原味道餐饮店",
    "licence_no": "JY11506240012345",
    "licence_type_label": "食品经营许可证",
    "bureau": {
        "name": "鄂托克旗政务服务局",
        "phone": "0477-6212345",
        "address": "内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇政务服务中心",
        "postcode": "016100",
    },
}

# The event's own values, beyond the common ones.
SAMPLES: dict[Event, dict[str, Any]] = {
    Event.CONSENT_REQUEST: {
        "expires_on": date(2027, 3, 31),
        "application_name": "食品经营许可延续申请书",
        "deadline": date(2026, 12, 2),  # a later working day than the invitation
    },
    Event.SEAMLESS_STARTED: {
        "expires_on": date(2027, 3, 31),
        "application_no": "SQ202611250001",
        "promised_on": date(2026, 11, 26),  # one working day after filing
    },
    Event.RENEWED: {"application_no": "SQ202611250001", "new_expires_on": date(2031, 11, 25)},
    Event.SUPPLY_MATERIALS: {
        "expires_on": date(2027, 3, 31),
        "missing": ["食品经营许可延续申请书（已按登记信息预填，核对后签字即可）", "日常监督检查不合格项的整改情况报告"],
        "deadline": date(2026, 12, 18),  # a later working day than the notice, no later than apply_by
        "apply_by": date(2027, 3, 9),  # the last day the renewal can be applied for
    },
    # working_days_left is None when the count rests on a year whose holidays are not yet published
    Event.EXPIRY_REMINDER: {"expires_on": date(2027, 3, 31), "apply_by": date(2027, 3, 9), "working_days_left": 30},
    Event.WINDOW_CLOSED: {"expires_on": date(2027, 3, 31), "closed_on": date(2027, 3, 9)},
    Event.LAPSED: {"expired_on": date(2026, 11, 20), "cancelled_by": "鄂托克旗市场监督管理局"},
    Event.RETURNED: {"application_no": "SQ202611250001", "reason": "经营场所地址与营业执照登记地址不一致"},
    Event.SUBSIDY_GRANTED: {
        "policy_title": "高新技术企业认定奖励",
        "amount_yuan": 200000,
        "period": "2026年度",
        "paid_on": date(2026, 12, 10),
    },
    # what was done, as the holder reads it: a renewal (with its licence number) or a subsidy paid (with its period)
    Event.RATING_INVITATION: {"matter": "您的食品经营许可证（JY11506240012345）延续"},
    Event.RATING_HELP: {},
    # The longer of its two forms: to the supervisor, after two chases of the contact (domain/chasing/round.py)
    Event.CHASE: {
        "recipient_name": "李建军",
        "level": "supervisor",
        "department": "鄂托克旗市场监督管理局",
        "contact_name": "王丽娜",
        "matter": "食品经营许可延续申请书",
        "application_no": "SQ202609300001",
        "filed_on": date(2026, 9, 30),
        "promised_working_days": 1,
        "waited_working_days": 4,
        "waited_estimated": False,
        "number": 3,
    },
    # a job of the service that failed or degraded, for the bureau's operator (agent/pings.py)
    Event.OPS_ALERT: {
        "recipient_name": "运维值班人员",
        "job": "registry-refresh",
        "outcome": "失败",
        "at": "12月7日02:00",
    },
}

# By SMS only: a question answered by SMS reply (a letter could not be answered), and what staff are sent.
SMS_ONLY = frozenset({Event.RATING_INVITATION, Event.RATING_HELP}) | STAFF_EVENTS
LETTERED = tuple(event for event in Event if event not in SMS_ONLY)  # the events with a letter template


def sample_context(event: Event) -> dict[str, Any]:
    common = {"bureau": COMMON_SAMPLE["bureau"]} if event in STAFF_EVENTS else COMMON_SAMPLE
    return {**common, **SAMPLES[event]}
