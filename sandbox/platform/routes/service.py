"""Endpoints that are not pages: the health check and the option lists the forms' scripts load."""

from __future__ import annotations

from fastapi import APIRouter

from sandbox.platform.vocab import ISSUERS, POLICIES

router = APIRouter()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/api/issuers")
def issuers() -> dict[str, list[str]]:
    return {"items": list(ISSUERS)}


@router.get("/api/policies")
def policies() -> dict[str, list[str]]:
    return {"items": list(POLICIES)}
