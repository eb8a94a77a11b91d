"""The Messages API of Twilio's 2010-04-01 REST API: create, fetch, list, update (redact) and delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from sandbox.sms_gateway.auth import authenticate
from sandbox.sms_gateway.db import FINAL_STATUSES, Message, find_message
from sandbox.sms_gateway.errors import twilio_error
from sandbox.sms_gateway.outbound import outbound_message
from sandbox.sms_gateway.paging import envelope, parse_list_query, select_page
from sandbox.sms_gateway.resource import message_json, stored_time
from sandbox.sms_gateway.state import DbDep, StateDep

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}")
AccountDep = Annotated[str, Depends(authenticate)]


async def form_fields(request: Request) -> dict[str, str]:
    """The form's text fields (a repeated field keeps its last value; files are not part of this API)."""
    return {name: value for name, value in (await request.form()).multi_items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(form_fields)]


def existing(db: Session, account_sid: str, sid: str, request: Request) -> Message:
    message = find_message(db, account_sid, sid)
    if message is None:
        raise twilio_error(20404, path=request.url.path)
    return message


@router.post("/Messages.json")
async def create_message(account_sid: AccountDep, form: FormDep, state: StateDep, db: DbDep) -> JSONResponse:
    _, delivery = state.running()
    faults = state.current_faults()
    message = outbound_message(form, account_sid, state.settings, faults, state.opt_outs, state.now())
    db.add(message)
    db.commit()
    delivery.start(message)  # in the background: the answer never waits for delivery
    return JSONResponse(message_json(message), status_code=201)


@router.get("/Messages.json")
async def list_messages(account_sid: AccountDep, request: Request, db: DbDep) -> JSONResponse:
    query = parse_list_query(request.query_params)
    return JSONResponse(envelope(account_sid, query, select_page(db, account_sid, query)))


@router.get("/Messages/{Sid}.json")
async def fetch_message(account_sid: AccountDep, Sid: str, request: Request, db: DbDep) -> JSONResponse:  # noqa: N803
    return JSONResponse(message_json(existing(db, account_sid, Sid, request)))


@router.post("/Messages/{Sid}.json")
async def update_message(
    account_sid: AccountDep,
    Sid: str,  # noqa: N803 (Twilio's parameter name)
    form: FormDep,
    request: Request,
    state: StateDep,
    db: DbDep,
) -> JSONResponse:
    """Only redaction is supported: Body set to the empty string (Twilio allows nothing else for a sent SMS)."""
    message = existing(db, account_sid, Sid, request)
    for name, value in form.items():
        if name != "Body" or value:
            raise twilio_error(20001, name=name, value=value)
    if "Body" in form:
        message.body, message.date_updated = "", stored_time(state.now())
        db.commit()
    return JSONResponse(message_json(message))


@router.delete("/Messages/{Sid}.json", status_code=204)
async def delete_message(account_sid: AccountDep, Sid: str, request: Request, db: DbDep) -> Response:  # noqa: N803
    message = existing(db, account_sid, Sid, request)
    if message.status not in FINAL_STATUSES:
        raise twilio_error(20009)
    db.delete(message)
    db.commit()
    return Response(status_code=204)
