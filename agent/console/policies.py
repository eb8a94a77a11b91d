"""The policies in force: each with its department, reference and period, and how many cases it has matched."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from agent.cli_policy import folder_policies
from agent.console.web import Staff, desk, page
from ground.cases.kinds import Kind
from ground.cases.reads import CaseFilter, count_cases

router = APIRouter()


@router.get("/policies", response_class=HTMLResponse)
def policies(request: Request, session: Staff) -> Response:
    rt = desk(request).rt
    found = folder_policies(rt)
    with rt.engine.connect() as connection:
        matched = {
            policy_id: count_cases(connection, CaseFilter(kind=Kind.SUBSIDY.value, policy_id=policy_id))
            for policy_id in found.policies
        }
    return page(request, "policies.html.j2", session, policies=found.policies, matched=matched, errors=found.errors)
