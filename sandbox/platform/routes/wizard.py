"""The applicant's wizards: a new draft's first step, then each step of a stored draft, then submission."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sandbox.platform import applications, attachments, drafts, filing
from sandbox.platform.auth import ApplicantDep, Visit, check_csrf
from sandbox.platform.builds import PAGE_BUILD
from sandbox.platform.db import Draft
from sandbox.platform.fields import MATTERS, Data, Kind, read_values
from sandbox.platform.layouts import NOT_FOUND_MESSAGE, MatterPages
from sandbox.platform.pages import PageError, redirect, render
from sandbox.platform.state import DbDep, FormDep, PlatformState, StateDep
from sandbox.platform.views import step_blocks, summary
from sandbox.platform.wizard import first_unfinished

router = APIRouter(dependencies=PAGE_BUILD)


def step_url(draft_id: int, number: int) -> str:
    return f"/drafts/{draft_id}/steps/{number}"


def step_page(
    request: Request, visit: Visit, pages: MatterPages, number: int, data: Data, errors: list[str], action: str
) -> HTMLResponse:
    step = pages.steps[number - 1]
    context: dict[str, Any] = {
        "username": visit.user.username,
        "csrf_token": visit.csrf_token,
        "pages": pages,
        "number": number,
    }
    context |= {"step": step, "errors": errors, "action": action}
    if step.confirms:
        return render(request, "confirm.html.j2", sections=summary(MATTERS[pages.matter], pages, data), **context)
    matter = MATTERS[pages.matter]
    multipart = any(matter.field(name).kind is Kind.FILE for name in step.fields)  # a file goes with the form
    return render(
        request, "step.html.j2", blocks=step_blocks(matter, pages, step, data), multipart=multipart, **context
    )


@router.get("/applications/new/{matter}", response_class=HTMLResponse)
def new_draft(matter: str, request: Request, visit: ApplicantDep, state: StateDep) -> HTMLResponse:
    return step_page(request, visit, filing.pages_of(state.layout, matter), 1, {}, [], f"/applications/new/{matter}")


@router.post("/applications/new/{matter}")
def start_draft(
    matter: str, request: Request, visit: ApplicantDep, state: StateDep, db: DbDep, form: FormDep
) -> Response:
    """Step 1 of a new application: the draft is stored only once this step is valid."""
    check_csrf(visit.session, form)
    pages = filing.pages_of(state.layout, matter)
    values = read_values(map(MATTERS[matter].field, pages.steps[0].fields), form)
    errors = filing.step_errors(db, visit.user, state.layout, pages, 1, values)
    if errors:
        return step_page(request, visit, pages, 1, values, errors, f"/applications/new/{matter}")
    draft = drafts.create_draft(db, visit.user, matter, values, state.now())
    return redirect(step_url(draft.id, 2))


def _draft_and_pages(
    db: Session, visit: Visit, state: PlatformState, draft_id: int, number: int
) -> tuple[Draft, MatterPages]:
    draft = drafts.own_draft(db, visit.user, draft_id)
    pages = filing.pages_of(state.layout, draft.matter)
    if not 1 <= number <= len(pages.steps):
        raise PageError(404, NOT_FOUND_MESSAGE)
    return draft, pages


@router.get("/drafts/{draft_id}/steps/{number}", response_class=HTMLResponse)
def draft_step(
    draft_id: int, number: int, request: Request, visit: ApplicantDep, state: StateDep, db: DbDep
) -> Response:
    """A step of a stored draft; a step whose earlier steps are incomplete sends to the first incomplete one."""
    draft, pages = _draft_and_pages(db, visit, state, draft_id, number)
    if draft.application_no:
        return redirect(f"/applications/{draft.application_no}")
    unfinished = first_unfinished(pages, draft.data)
    if unfinished is not None and unfinished < number:
        return redirect(step_url(draft.id, unfinished))
    return step_page(request, visit, pages, number, draft.data, [], step_url(draft.id, number))


@router.post("/drafts/{draft_id}/steps/{number}")
def post_draft_step(
    draft_id: int, number: int, request: Request, visit: ApplicantDep, state: StateDep, db: DbDep, form: FormDep
) -> Response:
    check_csrf(visit.session, form)
    draft, pages = _draft_and_pages(db, visit, state, draft_id, number)
    back = form.get("action") == "back"
    if pages.steps[number - 1].confirms:
        return redirect(step_url(draft.id, number - 1)) if back else confirm(request, visit, state, db, draft, pages)
    matter, fields = MATTERS[draft.matter], pages.steps[number - 1].fields
    values = read_values(map(matter.field, fields), form)
    drafts.save_values(db, draft, values, state.now())  # kept even when wrong, so going back loses nothing
    labels = dict(pages.labels)
    refused = attachments.attach_posted(db, visit.user, draft, matter, fields, form, labels, state.now())
    if back:
        return redirect(step_url(draft.id, max(number - 1, 1)))
    errors = refused + filing.step_errors(db, visit.user, state.layout, pages, number, draft.data)
    if errors:
        return step_page(request, visit, pages, number, draft.data, errors, step_url(draft.id, number))
    return redirect(step_url(draft.id, number + 1))


def confirm(
    request: Request, visit: Visit, state: PlatformState, db: Session, draft: Draft, pages: MatterPages
) -> Response:
    """Submit the draft: every step is checked again, and a reference already used is refused with its number."""
    try:
        application = filing.submit_draft(db, visit.user, pages, draft, state.now())
    except filing.Unfinished as unfinished:
        return redirect(step_url(draft.id, unfinished.number))
    except applications.DuplicateReference as duplicate:
        errors = [state.layout.duplicate_reference.format(no=duplicate.application_no)]
        return step_page(
            request, visit, pages, len(pages.steps), draft.data, errors, step_url(draft.id, len(pages.steps))
        )
    return redirect(f"/applications/{application.application_no}/submitted")
