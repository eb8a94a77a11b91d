"""The lifecycle events someone is told about (a holder; for STAFF_EVENTS, the bureau's or a department's staff),
and their Chinese titles: what settings, the ledger and the notifications name an event by. The values each event's
templates receive live in notifications/events.py."""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    CONSENT_REQUEST = "consent_request"  # 续证授权: may we file the renewal in your name? reply 1 / 2 by a deadline
    SEAMLESS_STARTED = "seamless_started"  # 无感续证已启动: the bot filed the renewal with the holder's consent
    RENEWED = "renewed"  # 续证已完成: the licence renewed in our records, with its new validity and e-licence
    SUPPLY_MATERIALS = "supply_materials"  # 请补充材料: assisted route, everything needed at once, with a deadline
    EXPIRY_REMINDER = "expiry_reminder"  # 到期提醒: at set working-day marks before expiry
    WINDOW_CLOSED = "window_closed"  # 延续申请期限已过: the rules refuse a late renewal; what to do instead
    LAPSED = "lapsed"  # 许可证已到期: once, after the licence lapsed unrenewed: 新办 guidance, who cancels it
    RETURNED = "returned"  # 审批退回: the approver returned it, with the reason
    SUBSIDY_GRANTED = "subsidy_granted"  # 惠企政策免申即享: a subsidy paid without applying
    RATING_INVITATION = "rating_invitation"  # 服务评价邀请 (好差评): the case is done; rate it by replying 1-5
    RATING_HELP = "rating_help"  # 评价回复说明: once, after a reply to the invitation that could not be read
    CHASE = "chase"  # 审批催办: to the approving department's contact or supervisor, a case waits past its promise
    OPS_ALERT = "ops_alert"  # 运行告警: to the bureau's operator, a scheduled job of the service failed or degraded


TITLES: dict[Event, str] = {
    Event.CONSENT_REQUEST: "续证授权确认",
    Event.SEAMLESS_STARTED: "无感续证已启动",
    Event.RENEWED: "续证已完成",
    Event.SUPPLY_MATERIALS: "请补充材料",
    Event.EXPIRY_REMINDER: "到期提醒",
    Event.WINDOW_CLOSED: "延续申请期限已过",
    Event.LAPSED: "许可证已到期",
    Event.RETURNED: "审批退回",
    Event.SUBSIDY_GRANTED: "惠企政策免申即享",
    Event.RATING_INVITATION: "服务评价邀请",
    Event.RATING_HELP: "评价回复说明",
    Event.CHASE: "审批催办",
    Event.OPS_ALERT: "运行告警",
}

# Sent to staff, not to a holder: by SMS only (no letter takes the place of one that cannot go: the office is
# reached again at the next chase), and not held to a holder's daily cap, which guards holders against a flood about
# their own matter, not a department's contact against the cases waiting on it.
STAFF_EVENTS = frozenset({Event.CHASE, Event.OPS_ALERT})
