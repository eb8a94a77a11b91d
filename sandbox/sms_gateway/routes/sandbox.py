"""Sandbox-only endpoints under /_sandbox/ (no Twilio has them), and /healthz. Never faulted, never authenticated:
the gateway listens on loopback only.

POST /_sandbox/inbound  form From, Body[, To]: a holder texts the account; the answer says what the webhook did.
GET/POST /_sandbox/faults  reads or changes the running instance's faults (JSON; all changes or none).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException
from pydantic import ValidationError

from sandbox.sms_gateway.inbound import receive
from sandbox.sms_gateway.settings import Faults
from sandbox.sms_gateway.state import StateDep

router = APIRouter()


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.post("/_sandbox/inbound")
async def inbound(
    state: StateDep,
    sender: Annotated[str, Form(alias="From")],
    body: Annotated[str, Form(alias="Body")],
    to: Annotated[str | None, Form(alias="To")] = None,
) -> dict[str, Any]:
    return asdict(await receive(state, sender, body, to))


@router.get("/_sandbox/faults")
async def read_faults(state: StateDep) -> dict[str, Any]:
    return state.current_faults().model_dump(mode="json")


@router.post("/_sandbox/faults")
async def change_faults(changes: dict[str, Any], state: StateDep) -> dict[str, Any]:
    current = state.current_faults().model_dump()
    try:
        state.faults = Faults.model_validate(current | changes)
    except ValidationError as exc:
        raise HTTPException(422, detail=json.loads(exc.json(include_url=False))) from None
    return state.faults.model_dump(mode="json")
