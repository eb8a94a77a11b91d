"""The policies in force, each with how many cases it has matched; why a subject does or does not qualify for one
(the condition-by-condition trace); and, for a supervisor, what an uploaded draft would change if published —
who newly qualifies or drops out, and the cost — with nothing stored."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from agent.cli_policy import Unanswerable, explain, folder_policies, preview_changes
from agent.console.web import Forbidden, Staff, address, checked_upload, desk, page, require
from domain.access.audit import record
from domain.access.roles import Permission
from domain.policies.loading import load_policy
from domain.policies.trace import describe_amount, failures
from ground.cases.kinds import Kind
from ground.cases.reads import CaseFilter, count_cases
from ground.yaml_files import YamlFileError

router = APIRouter(prefix="/policies")
SHOWN = 50  # changed subjects listed per kind of change
DRAFT_LIMIT = 256 * 1024  # a policy file is a page of YAML


@router.get("", response_class=HTMLResponse)
def policies(request: Request, session: Staff) -> Response:
    rt = desk(request).rt
    found = folder_policies(rt)
    with rt.engine.connect() as connection:
        matched = {
            policy_id: count_cases(connection, CaseFilter(kind=Kind.SUBSIDY.value, policy_id=policy_id))
            for policy_id in found.policies
        }
    return page(request, "policies.html.j2", session, policies=found.policies, matched=matched, errors=found.errors)


@router.get("/explain", response_class=HTMLResponse)
def explain_page(request: Request, session: Staff, subject: str = "", policy: str = "") -> Response:
    rt = desk(request).rt
    try:
        trace = explain(rt, subject.strip(), policy, rt.today())
    except Unanswerable as exc:
        raise Forbidden(str(exc)) from exc
    amount = describe_amount(trace["amount"], trace["policy"]["reference"])
    return page(request, "explain.html.j2", session, trace=trace, amount=amount, failures=failures(trace))


@router.post("/preview", response_class=HTMLResponse)
async def preview(request: Request, session: Staff) -> Response:
    form = await checked_upload(request, session)
    require(request, session, Permission.PREVIEW_POLICY, "policy draft")
    upload = form.get("draft")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Forbidden("请选择一个政策草案文件（YAML）")
    content = await upload.read(DRAFT_LIMIT + 1)
    if len(content) > DRAFT_LIMIT:
        raise Forbidden("政策草案文件过大")
    d = desk(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.filename).name  # the draft's own name: its id must match it
        path.write_bytes(content)
        try:
            draft = load_policy(path)
        except YamlFileError as exc:
            raise Forbidden(str(exc).replace(folder + "/", "")) from exc
    changes, after, names = preview_changes(d.rt, draft, d.rt.today())
    with d.rt.engine.begin() as connection:
        detail = {"draft": path.name, "changed": len(changes.rows)}
        record(connection, d.now(), session.account.username, "previewed draft", draft.id, detail, address(request))
    keys = after.population.keys
    listed = {
        change: [
            {**one, "subject": str(keys[one["row"]]), "name": names.get(str(keys[one["row"]]), "")}
            for one in changes.of(change).head(SHOWN).to_dict("records")
        ]
        for change in ("new", "dropped", "amount")
    }
    counts = {change: len(changes.of(change)) for change in listed}
    totals = changes.totals.rename_axis("policy_id").reset_index().to_dict("records")
    return page(
        request, "preview.html.j2", session, draft=draft, day=after.as_of, totals=totals, listed=listed, counts=counts
    )
