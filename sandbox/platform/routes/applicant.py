"""The applicant's pages outside the wizards: the list with its search, an application's detail, the receipt."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from sandbox.platform import applications
from sandbox.platform.auth import ApplicantDep
from sandbox.platform.builds import PAGE_BUILD
from sandbox.platform.fields import MATTERS
from sandbox.platform.pages import render
from sandbox.platform.state import DbDep, StateDep
from sandbox.platform.views import summary

router = APIRouter(dependencies=PAGE_BUILD)


@router.get("/applicant", response_class=HTMLResponse)
def my_applications(request: Request, visit: ApplicantDep, db: DbDep, q: str = "") -> HTMLResponse:
    query = q.strip()
    rows = applications.search(db, visit.user, query)
    return render(
        request, "applicant.html.j2", username=visit.user.username, csrf_token=visit.csrf_token, query=query, rows=rows
    )


@router.get("/applications/{application_no}", response_class=HTMLResponse)
def application_detail(
    application_no: str, request: Request, visit: ApplicantDep, state: StateDep, db: DbDep
) -> HTMLResponse:
    application = applications.own_application(db, visit.user, application_no)
    pages = state.layout.matters[application.matter]
    return render(
        request,
        "application.html.j2",
        username=visit.user.username,
        csrf_token=visit.csrf_token,
        application=application,
        pages=pages,
        sections=summary(MATTERS[application.matter], pages, application.data),
    )


@router.get("/applications/{application_no}/submitted", response_class=HTMLResponse)
def receipt(application_no: str, request: Request, visit: ApplicantDep, state: StateDep, db: DbDep) -> HTMLResponse:
    application = applications.own_application(db, visit.user, application_no)
    return render(
        request,
        "success.html.j2",
        username=visit.user.username,
        csrf_token=visit.csrf_token,
        application=application,
        pages=state.layout.matters[application.matter],
    )
