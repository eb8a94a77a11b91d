"""The work queues: parked cases with their evidence and a release form, approvals waiting past their promise
(催办), the assisted renewals by officer with the work-log form, and the follow-ups of poor ratings with the
call-back form. An officer sees only their townships' work; each action is in the ledger and the audit log."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from agent.console import labels
from agent.console.cases import COLUMNS, own_townships
from agent.console.exports import exported
from agent.console.web import Forbidden, Staff, address, checked_form, desk, page, refuse, require, to
from agent.worklist_needs import apply_by, needed
from domain.access.accounts import Session
from domain.access.audit import record
from domain.access.roles import Permission
from domain.assistance.actions import WORDS, Action
from domain.assistance.worklist import township_of, worklist_cases
from domain.assistance.worklog import WorkLogRefused, log_work
from domain.chasing.reads import chase_history
from domain.chasing.survey import survey
from domain.ratings.follow_ups import Callback, FollowUpClosed, record_callback
from domain.ratings.grades import Grade
from domain.ratings.reads import open_follow_ups
from ground.cases.lifecycle import State
from ground.cases.reads import CaseFilter, list_cases

router = APIRouter(prefix="/queues")
OVERDUE_COLUMNS = {
    "case_id": "编号",
    "township": "乡镇",
    "matter": "事项",
    "department": "审批部门",
    "application_no": "申请号",
    "waited": "已等待（工作日）",
    "promised": "承诺时限（工作日）",
    "chases": "已催办（次）",
}


def _in_scope(request: Request, session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    scope = own_townships(request, session)
    return rows if scope is None else [row for row in rows if row.get("township") in scope]


ASSISTED_COLUMNS = {
    "id": "编号",
    "state": "状态",
    "holder_name": "持证人",
    "licence_no": "许可证号",
    "township": "乡镇",
    "officer": "帮办专员",
    "apply_by": "申请截止",
    "needed": "所需",
    "last_action": "最近记录",
    "last_note": "记录说明",
}
FOLLOW_UP_COLUMNS = {
    "case_id": "案件",
    "holder_name": "持证人",
    "township": "乡镇",
    "grade_word": "评价",
    "rated_at": "评价时间",
    "due_on": "回访期限",
    "officer_label": "帮办专员",
}


def _listed(
    request: Request, session: Session, rows: list[dict[str, Any]], columns: dict[str, str], name: str, format: str
) -> Response | None:
    """The list as a file when one is asked for (`?format=csv|xlsx`); None to show the page."""
    if format not in ("csv", "xlsx"):
        return None
    require(request, session, Permission.EXPORT)
    return exported(request, session, rows, columns, name, format)


@router.get("/parked", response_class=HTMLResponse)
def parked(request: Request, session: Staff, format: str = "") -> Response:
    rt = desk(request).rt
    which = CaseFilter(state=State.PARKED.value, townships=own_townships(request, session))
    with rt.engine.connect() as connection:
        rows = list_cases(connection, which, limit=100_000)
    as_file = _listed(request, session, [asdict(row) for row in rows], COLUMNS, "parked", format)
    return as_file or page(request, "parked.html.j2", session, rows=rows, labels=labels)


@router.get("/overdue", response_class=HTMLResponse)
def overdue(request: Request, session: Staff, format: str = "") -> Response:
    rt = desk(request).rt
    today, zone = rt.today(), rt.settings.zone
    with rt.engine.connect() as connection:
        found = survey(connection, rt.departments, rt.licence_types, rt.calendar, rt.settings.chase, today, zone)
        late = [p for p in found.pending if p.standing.overdue]
        history = chase_history(connection, [p.case["filing_id"] for p in late])
        townships = {p.case["id"]: township_of(connection, p.case["id"]) for p in late}
    rows = [
        {
            "case_id": p.case["id"],
            "township": townships[p.case["id"]],
            "department": p.matter.department.name,
            "matter": p.matter.label,
            "application_no": p.case.get("application_no"),
            "waited": p.standing.waited,
            "promised": p.matter.promised_working_days,
            "chases": len(history.get(p.case["filing_id"], [])),
        }
        for p in late
    ]
    rows = _in_scope(request, session, rows)
    as_file = _listed(request, session, rows, OVERDUE_COLUMNS, "overdue", format)
    return as_file or page(request, "overdue.html.j2", session, rows=rows, unknown=found.unknown)


@router.get("/assisted", response_class=HTMLResponse)
def assisted(request: Request, session: Staff, format: str = "") -> Response:
    rt = desk(request).rt
    with rt.engine.connect() as connection:
        rows = _in_scope(request, session, worklist_cases(connection))
    for row in rows:
        officer = rt.roster.for_township(row["township"])
        row["officer"] = officer.label if officer else "未分配"
        row["needed"], row["apply_by"] = needed(rt, row), apply_by(rt, row)
    as_file = _listed(request, session, rows, ASSISTED_COLUMNS, "assisted", format)
    return as_file or page(request, "assisted.html.j2", session, rows=rows, actions=WORDS, labels=labels)


@router.post("/assisted/{case_id}/log")
async def log(request: Request, session: Staff, case_id: int) -> Response:
    form = await checked_form(request, session)
    require(request, session, Permission.LOG_WORK, f"case:{case_id}")
    d = desk(request)
    officer = next((o for o in d.rt.roster.officers if o.id == session.account.officer_id), None)
    with d.rt.engine.begin() as connection:
        if officer is None or township_of(connection, case_id) not in officer.townships:
            refuse(request, session, "a case outside the officer's townships", f"case:{case_id}")
        try:
            action = Action(form.get("action", ""))
            log_work(connection, case_id, officer, action, form.get("note", ""), form.get("mandate") or None, d.now())
        except (ValueError, WorkLogRefused) as exc:
            raise Forbidden(str(exc)) from exc
        detail = {"action": action.value}
        record(connection, d.now(), session.account.username, "work log", f"case:{case_id}", detail, address(request))
    return to("/queues/assisted")


@router.get("/follow-ups", response_class=HTMLResponse)
def follow_ups(request: Request, session: Staff, format: str = "") -> Response:
    rt = desk(request).rt
    with rt.engine.connect() as connection:
        rows = _in_scope(request, session, open_follow_ups(connection))
    for row in rows:
        row["grade_word"] = Grade(row["grade"]).label
        officer = rt.roster.for_township(row["township"])
        row["officer_label"] = officer.label if officer else "未分配"
    as_file = _listed(request, session, rows, FOLLOW_UP_COLUMNS, "follow-ups", format)
    return as_file or page(request, "follow_ups.html.j2", session, rows=rows, today=rt.today())


@router.post("/follow-ups/{follow_up_id}/callback")
async def callback(request: Request, session: Staff, follow_up_id: int) -> Response:
    form = await checked_form(request, session)
    target = f"follow-up:{follow_up_id}"
    require(request, session, Permission.RECORD_CALLBACK, target)
    d = desk(request)
    with d.rt.engine.connect() as connection:
        visible = _in_scope(request, session, open_follow_ups(connection))
    if follow_up_id not in {row["id"] for row in visible}:
        refuse(request, session, "not an open follow-up of the account's townships", target)
    note = form.get("note", "").strip()
    if not note:
        raise Forbidden("回访情况不能为空")
    done = Callback(note=note, by=session.account.display_name, rectification=form.get("rectification") or None)
    with d.rt.engine.begin() as connection:
        try:
            record_callback(connection, follow_up_id, done, d.now())
        except FollowUpClosed as exc:
            raise Forbidden(str(exc)) from exc
        record(connection, d.now(), session.account.username, "call-back", target, {"note": note}, address(request))
    return to("/queues/follow-ups")
