"""What staff record on a renewal they help with: the holder's answer given by phone or in person, the materials
received (reminders then stop), and the list of lapsed licences each department is to cancel (注销)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, RowMapping, select

from domain.licence_types import LicenceType
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.cases.moves import note_case
from ground.store.reads import stored_moment
from ground.store.tables import case_transitions, cases, licences

ASSISTED_STATES = frozenset({State.ROUTED.value, State.RETURNED.value, State.PARKED.value})


class NotAssisted(ValueError):
    """Materials are recorded only on a renewal staff are helping with."""


def record_materials(connection: Connection, case_id: int, items: list[str], actor: str, at: datetime) -> None:
    case = connection.execute(
        select(cases.c.kind, cases.c.state, cases.c.route, cases.c.materials_received).where(cases.c.id == case_id)
    ).one_or_none()
    if (
        case is None
        or case.kind != Kind.RENEWAL.value
        or case.state not in ASSISTED_STATES
        or case.route == Route.SEAMLESS.value
    ):
        raise NotAssisted(f"case {case_id} is not a renewal being helped with ({case.state if case else 'unknown'})")
    note_case(
        connection,
        case_id,
        f"materials received: {'、'.join(items)}",
        actor,
        at,
        materials_received=received(case.materials_received, items, at),
    )


def received(so_far: dict[str, Any] | None, items: list[str], at: datetime) -> dict[str, Any]:
    """The case's record of materials received, with `items` added: once it has any, the holder's reminders stop."""
    return {"items": [*((so_far or {}).get("items", [])), *items], "at": at.isoformat()}


def return_reasons(connection: Connection, case_ids: list[int]) -> dict[int, str]:
    """Why the approver returned each case, as the status sync recorded it in the ledger (the latest return)."""
    query = (
        select(case_transitions.c.case_id, case_transitions.c.details)
        .where(case_transitions.c.case_id.in_(case_ids), case_transitions.c.new_state == State.RETURNED.value)
        .order_by(case_transitions.c.id)
    )
    return {
        case_id: details["return_reason"]
        for case_id, details in connection.execute(query)
        if details and "return_reason" in details
    }


@dataclass(frozen=True)
class LapsedLicence:
    id: int  # the renewal case's
    licence_no: str
    licence_type: str
    licence_type_label: str
    holder_name: str
    subject_key: str
    expires_on: date
    cancelled_by: str  # the department that is to cancel it
    lapsed_at: str  # in the bureau's zone, to the minute


def lapsed_licences(connection: Connection, types: Mapping[str, LicenceType], zone: ZoneInfo) -> list[LapsedLicence]:
    """Every licence whose renewal case lapsed, with the department that is to cancel it and when it lapsed (in
    `zone`, to the minute): an export for the departments, never an act of ours."""
    lapsed_at = (
        select(case_transitions.c.case_id, case_transitions.c.at)
        .where(case_transitions.c.new_state == State.LAPSED.value)
        .subquery()
    )
    query = (
        select(
            cases.c.id,
            cases.c.licence_no,
            cases.c.licence_type,
            licences.c.holder_name,
            licences.c.subject_key,
            cases.c.expires_on,
            lapsed_at.c.at.label("lapsed_at"),
        )
        .join(licences, licences.c.licence_no == cases.c.licence_no)
        .join(lapsed_at, lapsed_at.c.case_id == cases.c.id)
        .where(cases.c.state == State.LAPSED.value)
        .order_by(cases.c.licence_type, cases.c.expires_on, cases.c.id)
    )
    return [_lapsed(row, types.get(row["licence_type"]), zone) for row in connection.execute(query).mappings()]


def _lapsed(row: RowMapping, kind: LicenceType | None, zone: ZoneInfo) -> LapsedLicence:
    return LapsedLicence(
        **{
            **row,
            "licence_type_label": kind.label if kind else row["licence_type"],
            "cancelled_by": kind.cancelled_by if kind else "（许可类别未配置）",
            "lapsed_at": f"{stored_moment(row['lapsed_at']).astimezone(zone):%Y-%m-%d %H:%M}",
        }
    )
