"""The JSON the Element build's scripts call: login and logout, the list (paged and searched), each wizard step and
the submission. Every check is the server's, as on the page builds: a script that skips its own checks is refused
here. Posts carry the session's CSRF token in the `X-CSRF-Token` header."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from sandbox.platform import applications, attachments, drafts, filing
from sandbox.platform.auth import (
    ELEMENT_AREA,
    ElementVisitDep,
    Visit,
    authenticate,
    check_csrf,
    close_session,
    login_session,
    open_session,
)
from sandbox.platform.builds import ElementDep, element_build
from sandbox.platform.db import Draft
from sandbox.platform.element_views import list_row
from sandbox.platform.fields import MATTERS, Data, read_values
from sandbox.platform.layouts import NOT_FOUND_MESSAGE, Layout, MatterPages
from sandbox.platform.pages import PageError, api_answer, safe_next
from sandbox.platform.routes.element import pages_by_code
from sandbox.platform.state import DbDep, PlatformState, StateDep

router = APIRouter(dependencies=[Depends(element_build)])

PAGE_SIZE_LIMIT = 100


class Credentials(BaseModel):
    username: str = ""
    password: str = ""
    redirect: str = ""


class StepPost(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    draft_id: int | None = Field(default=None, alias="draftId")
    form: dict[str, Any] = Field(default_factory=dict)


class ScriptForm:
    """A script's JSON values read as a posted form: `false` or a missing key is an unticked box."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get(self, key: str) -> Any:
        value = self.values.get(key)
        return None if value is False else value

    def getlist(self, key: str) -> list[Any]:
        value = self.values.get(key)
        return value if isinstance(value, list) else []


def sent_token(request: Request) -> dict[str, str]:
    return {"csrf_token": request.headers.get("X-CSRF-Token", "")}


def refusal(layout: Layout, errors: list[str]) -> JSONResponse:
    return api_answer({"errors": errors}, code=400, msg=layout.errors_intro + "；".join(errors))


@router.post("/uc/api/login")
def login(credentials: Credentials, request: Request, state: StateDep, db: DbDep) -> JSONResponse:
    anonymous = login_session(request, db, state, sent_token(request))
    user = authenticate(db, ELEMENT_AREA, credentials.username, credentials.password)
    if user is None:
        return api_answer(code=400, msg=state.layout.login_failed)
    answer = api_answer({"redirect": safe_next(credentials.redirect, ELEMENT_AREA.home)}, msg="登录成功")
    open_session(db, state, anonymous, user, answer)
    return answer


@router.post("/uc/api/logout")
def logout(request: Request, db: DbDep) -> JSONResponse:
    answer = api_answer({"redirect": ELEMENT_AREA.login_path})
    close_session(request, db, sent_token(request), answer)
    return answer


@router.get("/web/api/affairs")
def affairs(
    visit: ElementVisitDep,
    state: StateDep,
    db: DbDep,
    words: ElementDep,
    keyword: str = "",
    page: Annotated[int, Query(alias="pageNum", ge=1)] = 1,
    size: Annotated[int, Query(alias="pageSize", ge=1, le=PAGE_SIZE_LIMIT)] = 10,
) -> JSONResponse:
    total, rows = applications.search_page(db, visit.user, keyword.strip(), page, size)
    return api_answer({"total": total, "rows": [list_row(state.layout, words, a) for a in rows]}, msg="查询成功")


def own_draft(db: Session, visit: Visit, pages: MatterPages, draft_id: int) -> Draft:
    draft = drafts.own_draft(db, visit.user, draft_id)
    if draft.matter != pages.matter:
        raise PageError(404, NOT_FOUND_MESSAGE)
    return draft


@router.post("/web/api/apply/{code}/steps/{number}")
def post_step(
    code: str, number: int, posted: StepPost, request: Request, visit: ElementVisitDep, state: StateDep, db: DbDep
) -> JSONResponse:
    """Check one step. The first step's valid values start a draft; later steps need the draft and are kept in it
    even when wrong (as on the page builds)."""
    check_csrf(visit.session, sent_token(request))
    pages = pages_by_code(state, code)
    if not 1 <= number <= len(pages.steps) or (posted.draft_id is None and number > 1):
        raise PageError(404, NOT_FOUND_MESSAGE)
    fields = map(MATTERS[pages.matter].field, pages.steps[number - 1].fields)
    values = read_values(fields, ScriptForm(posted.form))
    if posted.draft_id is None:
        return first_step(db, visit, state, pages, values)
    draft = own_draft(db, visit, pages, posted.draft_id)
    drafts.save_values(db, draft, values, state.now())
    step_fields = pages.steps[number - 1].fields
    attachments.bind_sent(db, visit.user, draft, MATTERS[pages.matter], step_fields, posted.form, state.now())
    errors = filing.step_errors(db, visit.user, state.layout, pages, number, draft.data)
    return refusal(state.layout, errors) if errors else api_answer({"draftId": draft.id})


@router.post("/web/api/file/upload")
def upload(file: UploadFile, request: Request, visit: ElementVisitDep, state: StateDep, db: DbDep) -> JSONResponse:
    """el-upload's own request, sent as soon as a file is chosen: the file is checked and kept; the answer's
    `fileId` is what the step then posts for the field."""
    check_csrf(visit.session, sent_token(request))
    content = file.file.read(attachments.MAX_BYTES + 1)
    refused = attachments.problem(content)
    if refused:
        return api_answer(code=400, msg=f"上传失败：{refused}")
    stored = attachments.store(db, visit.user, file.filename or "", content, state.now())
    return api_answer({"fileId": stored.id, "name": stored.name}, msg="上传成功")


def first_step(db: Session, visit: Visit, state: PlatformState, pages: MatterPages, values: Data) -> JSONResponse:
    errors = filing.step_errors(db, visit.user, state.layout, pages, 1, values)
    if errors:
        return refusal(state.layout, errors)
    draft = drafts.create_draft(db, visit.user, pages.matter, values, state.now())
    return api_answer({"draftId": draft.id})


@router.post("/web/api/apply/{code}/submit")
def submit(
    code: str, posted: StepPost, request: Request, visit: ElementVisitDep, state: StateDep, db: DbDep
) -> JSONResponse:
    """Every step is checked again; a reference already used is refused with its application's number."""
    check_csrf(visit.session, sent_token(request))
    pages = pages_by_code(state, code)
    draft = own_draft(db, visit, pages, posted.draft_id or 0)
    try:
        application = filing.submit_draft(db, visit.user, pages, draft, state.now())
    except filing.Unfinished as unfinished:
        errors = filing.step_errors(db, visit.user, state.layout, pages, unfinished.number, draft.data)
        return refusal(state.layout, errors)
    except applications.DuplicateReference as duplicate:
        return refusal(state.layout, [state.layout.duplicate_reference.format(no=duplicate.application_no)])
    number, promised = application.application_no, application.promised_by.isoformat()
    return api_answer({"applicationNo": number, "status": application.status, "promisedBy": promised}, msg="提交成功")
