"""Cases: a filtered, searchable list (an officer's limited to their townships), and one case whole — its ledger
as a timeline, its score and reasons, a subsidy's policy trace, every bot attempt with its screenshot, every
message sent — with the release of a parked case for those allowed."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from agent.console import labels
from agent.console.exports import exported
from agent.console.ledger_words import ledger_words
from agent.console.web import Forbidden, Staff, address, checked_form, desk, page, refuse, require, to
from domain.access.accounts import Session
from domain.access.audit import record
from domain.access.roles import Permission, Role, sees
from domain.assistance.worklist import township_of
from domain.chasing.survey import survey
from ground.cases.reads import CaseFilter, CaseRow, attempts, count_cases, ledger, list_cases, one_case
from ground.cases.release import NotParked, release_parked
from ground.events import TITLES
from notifications.outbox import STATUS_WORDS
from notifications.reads import case_messages

router = APIRouter()
PAGE = 50
COLUMNS = {
    "id": "编号",
    "kind": "类别",
    "state": "状态",
    "route": "分流",
    "licence_no": "许可证号",
    "licence_type": "许可类别",
    "subject_key": "市场主体",
    "policy_id": "政策",
    "expires_on": "有效期至",
    "window_closes_on": "申请截止",
    "application_no": "申请号",
    "parked_reason": "待处理原因",
}


def own_townships(request: Request, session: Session) -> tuple[str, ...] | None:
    """The townships an officer's account may see (the roster's); None for every other role (the county)."""
    if session.account.role is not Role.OFFICER:
        return None
    roster = desk(request).rt.roster
    officer = next((o for o in roster.officers if o.id == session.account.officer_id), None)
    return () if officer is None else officer.townships


@router.get("/cases", response_class=HTMLResponse)
def case_list(
    request: Request,
    session: Staff,
    state: str = "",
    route: str = "",
    kind: str = "",
    licence_type: str = "",
    township: str = "",
    q: str = "",
    overdue: bool = False,
    page_no: int = 1,
    format: str = "",
) -> Response:
    rt = desk(request).rt
    scope = own_townships(request, session)
    townships: tuple[str, ...] | None = (township,) if township else None
    if scope is not None:
        townships = tuple(t for t in (townships or scope) if t in scope)
    which = CaseFilter(
        kind=kind or None,
        state=state or None,
        route=route or None,
        licence_type=licence_type or None,
        townships=townships,
        ids=_overdue_ids(request) if overdue else None,
        search=q.strip() or None,
    )
    with rt.engine.connect() as connection:
        total = count_cases(connection, which)
        if format in ("csv", "xlsx"):
            require(request, session, Permission.EXPORT)
            rows = [asdict(row) for row in list_cases(connection, which, limit=100_000)]
            return exported(request, session, rows, COLUMNS, "cases", format)
        shown = list_cases(connection, which, limit=PAGE, offset=(max(page_no, 1) - 1) * PAGE)
    filters = {"state": state, "route": route, "kind": kind, "licence_type": licence_type, "township": township}
    return page(
        request,
        "cases.html.j2",
        session,
        rows=shown,
        total=total,
        page_no=max(page_no, 1),
        pages=max(1, -(-total // PAGE)),
        filters=filters,
        q=q,
        overdue=overdue,
        states=labels.STATES,
        routes=labels.ROUTES,
        kinds=labels.KINDS,
        licence_types={code: kind.label for code, kind in rt.licence_types.items()},
        townships=scope if scope is not None else sorted({t for o in rt.roster.officers for t in o.townships}),
        labels=labels,
    )


def _overdue_ids(request: Request) -> tuple[int, ...]:
    rt = desk(request).rt
    with rt.engine.connect() as connection:
        found = survey(
            connection, rt.departments, rt.licence_types, rt.calendar, rt.settings.chase, rt.today(), rt.settings.zone
        )
    return tuple(p.case["id"] for p in found.pending if p.standing.overdue)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, session: Staff, case_id: int) -> Response:
    rt = desk(request).rt
    with rt.engine.connect() as connection:
        case = _visible_case(request, session, connection, case_id)
        entries = ledger(connection, case_id)
        tries = attempts(connection, case_id)
        messages = case_messages(connection, case_id)
    return page(
        request,
        "case.html.j2",
        session,
        case=case,
        entries=entries,
        tries=tries,
        messages=messages,
        labels=labels,
        ledger_words=ledger_words,
        statuses=STATUS_WORDS,
        licence_type=rt.licence_types.get(case.licence_type or ""),
        trace=_trace(entries),
        titles=TITLES,
    )


def _visible_case(request: Request, session: Session, connection: Any, case_id: int) -> CaseRow:
    case = one_case(connection, case_id)
    if case is None:
        raise Forbidden("no such case")
    scope = own_townships(request, session)
    if scope is not None and not sees(session.account.role, scope, township_of(connection, case_id)):
        refuse(request, session, "a case outside the officer's townships", f"case:{case_id}")
    return case


def _trace(entries: list[Any]) -> dict[str, Any] | None:
    """A subsidy's policy trace, as matching kept it in the ledger (the entry that opened the case)."""
    return next((entry.details["trace"] for entry in entries if "trace" in entry.details), None)


@router.post("/cases/{case_id}/release")
async def release(request: Request, session: Staff, case_id: int) -> Response:
    form = await checked_form(request, session)
    require(request, session, Permission.RELEASE_CASE, f"case:{case_id}")
    d = desk(request)
    note = form.get("note", "").strip()
    with d.rt.engine.begin() as connection:
        _visible_case(request, session, connection, case_id)
        try:
            back = release_parked(connection, case_id, note, f"console:{session.account.username}", d.now())
        except NotParked as exc:
            raise Forbidden(str(exc)) from exc
        detail = {"note": note, "back_to": back.value}
        record(
            connection, d.now(), session.account.username, "released case", f"case:{case_id}", detail, address(request)
        )
    return to(f"/cases/{case_id}")


@router.get("/cases/{case_id}/evidence/{index}/{name}")
def evidence(request: Request, session: Staff, case_id: int, index: int, name: str) -> Response:
    """A screenshot or page a bot kept: only files an attempt of this case names, and only under the var folder."""
    rt = desk(request).rt
    with rt.engine.connect() as connection:
        _visible_case(request, session, connection, case_id)
        tries = attempts(connection, case_id)
    if not 0 <= index < len(tries) or name not in tries[index].evidence:
        raise Forbidden("no such evidence")
    path = Path(str(tries[index].evidence[name])).resolve()
    if not path.is_file() or not path.is_relative_to(rt.settings.var_dir.resolve()):
        raise Forbidden("the evidence file is gone (kept for platform.evidence_days)")
    return FileResponse(path)
