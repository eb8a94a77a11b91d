"""The approver's side: the queue of pending applications, an application's detail, approve or return."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sandbox.platform import applications, attachments
from sandbox.platform.auth import ApproverDep, Visit, check_csrf
from sandbox.platform.db import Application
from sandbox.platform.fields import MATTERS
from sandbox.platform.layouts import NOT_FOUND_MESSAGE, QUEUE_COLUMNS
from sandbox.platform.pages import PageError, redirect, render
from sandbox.platform.state import DbDep, FormDep, StateDep
from sandbox.platform.views import summary

router = APIRouter(prefix="/approver")

ALREADY_DECIDED = "该申请已审核，不能重复操作"
REASON_REQUIRED = "请填写退回原因"
REASON_MAX_LENGTH = 500


@router.get("", response_class=HTMLResponse)
def queue(request: Request, visit: ApproverDep, db: DbDep, done: str = "") -> HTMLResponse:
    decided = applications.by_number(db, done) if done else None
    return render(
        request,
        "approver_queue.html.j2",
        username=visit.user.username,
        csrf_token=visit.csrf_token,
        columns=QUEUE_COLUMNS,
        rows=applications.pending(db),
        done=decided,
    )


def detail_page(
    request: Request,
    visit: Visit,
    state: StateDep,
    db: Session,
    application: Application,
    alert: str | None,
    reason: str,
) -> HTMLResponse:
    pages = state.layout.matters[application.matter]
    return render(
        request,
        "approver_detail.html.j2",
        username=visit.user.username,
        csrf_token=visit.csrf_token,
        application=application,
        pages=pages,
        sections=summary(MATTERS[application.matter], pages, application.data),
        remark=str(application.data.get("remark") or ""),
        files=attachments.of_application(db, application.application_no),
        alert=alert,
        reason=reason,
    )


@router.get("/applications/{application_no}", response_class=HTMLResponse)
def detail(application_no: str, request: Request, visit: ApproverDep, state: StateDep, db: DbDep) -> HTMLResponse:
    return detail_page(request, visit, state, db, applications.by_number(db, application_no), None, "")


@router.get("/applications/{application_no}/attachments/{attachment_id}")
def attachment(application_no: str, attachment_id: int, visit: ApproverDep, db: DbDep) -> Response:
    """One of the application's files, opened in the approver's browser."""
    found = next((a for a in attachments.of_application(db, application_no) if a.id == attachment_id), None)
    if found is None:
        raise PageError(404, NOT_FOUND_MESSAGE)
    disposition = f"inline; filename*=UTF-8''{quote(found.name)}"
    return Response(found.content, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.post("/applications/{application_no}")
def decide(
    application_no: str, request: Request, visit: ApproverDep, state: StateDep, db: DbDep, form: FormDep
) -> Response:
    """action=approve, or action=return with a reason; a second decision on the same application is refused."""
    check_csrf(visit.session, form)
    application = applications.by_number(db, application_no)
    returning = form.get("action") == "return"
    reason = str(form.get("reason") or "").strip()
    if returning and not reason:
        return detail_page(request, visit, state, db, application, REASON_REQUIRED, reason)
    if len(reason) > REASON_MAX_LENGTH:
        return detail_page(request, visit, state, db, application, f"退回原因不能超过{REASON_MAX_LENGTH}个字", reason)
    try:
        applications.decide(db, application, visit.user, reason if returning else None, state.now())
    except applications.AlreadyDecided:
        return detail_page(request, visit, state, db, application, ALREADY_DECIDED, reason)
    return redirect(f"/approver?done={application_no}")
