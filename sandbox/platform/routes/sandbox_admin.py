"""Sandbox-only endpoints under /_sandbox/, mounted only when the settings enable them (tests and the demo).

GET/POST /_sandbox/faults reads or changes the running instance's faults; GET /_sandbox/applications lists every
application as JSON; GET /_sandbox/applications/{no}/attachments/{field} answers a stored attachment as it was
uploaded. No real platform has anything like them.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from pydantic import ValidationError
from sqlalchemy import select

from sandbox.platform import attachments
from sandbox.platform.db import Application
from sandbox.platform.settings import Faults
from sandbox.platform.state import DbDep, StateDep

router = APIRouter(prefix="/_sandbox")


@router.get("/faults")
def read_faults(state: StateDep) -> dict[str, Any]:
    return state.faults.model_dump()


@router.post("/faults")
def change_faults(changes: dict[str, Any], state: StateDep) -> dict[str, Any]:
    """Apply all the changes or none (a bad value answers 422 and changes nothing)."""
    try:
        merged = Faults.model_validate(state.faults.model_dump() | changes)
    except ValidationError as exc:
        raise HTTPException(422, detail=json.loads(exc.json(include_url=False))) from None
    for name in changes:
        setattr(state.faults, name, getattr(merged, name))
    return state.faults.model_dump()


@router.get("/applications")
def list_applications(db: DbDep) -> list[dict[str, Any]]:
    rows = db.scalars(select(Application).order_by(Application.id))
    return [as_json(row) for row in rows]


def as_json(row: Application) -> dict[str, Any]:
    return {
        "application_no": row.application_no,
        "matter": row.matter,
        "reference": row.reference,
        "licence_no": row.licence_no,
        "subject_name": row.subject_name,
        "status": row.status,
        "submitted_at": row.submitted_at.isoformat(),
        "promised_by": row.promised_by.isoformat(),
        "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "return_reason": row.return_reason,
        "data": row.data,
    }


@router.get("/applications/{application_no}/attachments/{field}")
def attachment(application_no: str, field: str, db: DbDep) -> Response:
    found = next((a for a in attachments.of_application(db, application_no) if a.field == field), None)
    if found is None:
        raise HTTPException(404)
    return Response(found.content, media_type="application/octet-stream")
