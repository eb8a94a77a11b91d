"""Endpoints that are not pages: the home redirect, the health check and the option lists the forms' scripts load."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from sandbox.platform.auth import APPLICANT_AREA, ELEMENT_AREA
from sandbox.platform.pages import redirect
from sandbox.platform.state import StateDep
from sandbox.platform.vocab import ISSUERS, POLICIES

router = APIRouter()


@router.get("/")
def home(state: StateDep) -> RedirectResponse:
    return redirect(ELEMENT_AREA.home if state.layout.element else APPLICANT_AREA.home)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/api/issuers")
def issuers() -> dict[str, list[str]]:
    return {"items": list(ISSUERS)}


@router.get("/api/policies")
def policies() -> dict[str, list[str]]:
    return {"items": list(POLICIES)}
