"""The Chinese words staff read for the codes the store keeps."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from agent import jobs
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.outside_work.attempts import Attempt

Code = TypeVar("Code", bound=StrEnum)  # a stored code's enum: a state, a route, an attempt's outcome…

STATES = {
    State.NEW: "新建",
    State.ROUTED: "已分流",
    State.AWAITING_CONSENT: "待授权",
    State.CONSENTED: "已授权",
    State.PREFILLED: "已预填待审批",
    State.APPROVED: "已审批通过",
    State.PAID: "已拨付",
    State.RETURNED: "审批退回",
    State.NOTIFIED: "已告知",
    State.DONE: "已办结",
    State.PARKED: "待人工处理",
    State.WITHDRAWN: "已撤销",
    State.LAPSED: "到期未延续",
}
ROUTES = {Route.SEAMLESS: "无感续证", Route.ASSISTED: "帮办代办", Route.REMIND: "到期提醒", Route.NONE: "不续证"}
SUBSIDY_ROUTES = {Route.SEAMLESS: "免申即享"}  # a subsidy case is paid without applying: "无感续证" would be wrong
KINDS = {Kind.RENEWAL: "证照延续", Kind.SUBSIDY: "惠企政策"}
# A job run's outcome (`job_runs.status`) and what counts against a job (`agent.status.Problem`).
RUNS = {
    "running": "运行中",
    "ok": "成功",
    "degraded": "部分完成",
    "failed": "失败",
    "interrupted": "已中断",
}
PROBLEMS = {"failed": "失败", "late": "逾期未运行", "stale": "长时间未成功"}
# Who wrote a ledger entry: the service's own steps by name; a person (an officer, a supervisor) as written.
ACTORS = {
    "scan": "到期扫描",
    "scoring": "分流模型",
    "renewal": "续证流程",
    "notify": "通知",
    "holder": "持证人",
    "chase": "催办",
    "ratings": "好差评",
    "policy-matching": "政策匹配",
    "treasury:payment_file": "国库拨付文件",
    "bot:prefill": "预填机器人",
    "bot:status_sync": "审批结果回读",
}


def actor_word(actor: str) -> str:
    """The writer of a ledger entry as staff read it; a model's entries name the model (`scoring:MODEL-ID`)."""
    step, _, detail = actor.partition(":")
    if step == "scoring" and detail:
        return f"{ACTORS[step]}（{detail}）"
    return ACTORS.get(actor, actor)


# A bot's try (`bot_attempts`): which bot, and how it ended.
BOTS = {"prefill": "预填申请", "status_sync": "回读审批结果"}
ATTEMPTS = {
    Attempt.RUNNING: "进行中",
    Attempt.DONE: "完成",
    Attempt.TRANSIENT: "暂时失败（下轮重试）",
    Attempt.PERMANENT: "失败（转人工）",
    Attempt.REFUSED: "平台拒绝登录",
    Attempt.MISFIT: "站点配置与平台不符",
    Attempt.INTERRUPTED: "中断",
    Attempt.OUTAGE: "平台故障",
}


def word(table: Mapping[Code, str], code: str | None) -> str:
    """The Chinese word for a stored code; the code itself where none is known (never an empty cell)."""
    if code is None:
        return "—"
    return next((label for key, label in table.items() if key.value == code), code)


def route_word(kind: str, route: str | None) -> str:
    """How a case is handled, in the words of its kind."""
    return word(SUBSIDY_ROUTES if kind == Kind.SUBSIDY.value else ROUTES, route)


JOBS = {
    jobs.REFRESH_JOB_ID: "读取登记数据并扫描到期许可",
    jobs.MATCH_JOB_ID: "惠企政策匹配",
    jobs.NOTIFY_JOB_ID: "生成并发送到期通知短信（发送时段内）",
    jobs.RECONCILE_JOB_ID: "核对发送结果不明的短信",
    jobs.LETTERS_JOB_ID: "打印当日信函及邮寄清单",
    jobs.BOTS_JOB_ID: "在审批平台预填无感续证并回读审批结果（平台办公时间内）",
    jobs.CHASE_JOB_ID: "超期催办（按工作日）",
}


def job_word(job_id: str) -> str:
    """A job's name as staff read it; a job run by hand under another id shows that id."""
    return JOBS.get(job_id.removesuffix("-on-start"), job_id)


def schedule_word(schedule: str) -> str:
    """A job's schedule as `scheduled_jobs` writes it ("cron 0 2 * * *", "every 5 min", "not scheduled"), in Chinese."""
    if schedule.startswith("every ") and schedule.endswith(" min"):
        return f"每{schedule.removeprefix('every ').removesuffix(' min')}分钟"
    if schedule.startswith("cron "):
        return f"定时（cron {schedule.removeprefix('cron ')}）"
    return "未排程（手动运行）" if schedule == "not scheduled" else schedule


# The audit log's actions (as `domain.access` and the console's pages record them) and their details' fields.
AUDIT_ACTIONS = {
    "signed in": "登录",
    "signed out": "退出登录",
    "sign-in refused": "登录被拒绝",
    "account created": "创建账号",
    "refused": "无权限操作被拒绝",
    "export": "导出",
    "previewed draft": "预览政策草案",
    "work log": "记录帮办工作",
    "call-back": "记录回访",
    "released case": "恢复办理",
}
AUDIT_FIELDS = {
    "why": "原因",
    "rows": "行数",
    "format": "格式",
    "draft": "草案文件",
    "changed": "变化条数",
    "action": "事项",
    "note": "说明",
    "back_to": "恢复至",
    "role": "角色",
}


def audit_action(action: str) -> str:
    return AUDIT_ACTIONS.get(action, action)


def audit_detail(detail: dict[str, object]) -> str:
    """An audit entry's details as `名称：值` pairs; a field with no word shows its stored name."""
    return "；".join(f"{AUDIT_FIELDS.get(name, name)}：{value}" for name, value in detail.items())
