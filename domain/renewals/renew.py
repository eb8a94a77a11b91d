"""After the approver's confirmation: the licence renewed in our records and its electronic licence issued, in the
same transaction as the case's move to done, so that 「电子证照已同步更新」 is only ever said of what happened."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select, update

from domain.licence_types import LicenceType
from domain.renewals.law import renewed_term
from ground.cases.ledger import Entity, record_changes
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.store.tables import cases, e_licences, licences

ACTOR = "renewal"


class LicenceChanged(RuntimeError):
    """The licence no longer has the expiry the case was opened for: a person must look before it is renewed."""


def renew_licence(
    connection: Connection, case_id: int, licence_type: LicenceType, decided_at: datetime, zone: ZoneInfo, at: datetime
) -> tuple[date, date]:
    """Renew an approved case's licence: the new term by its type's rule, the licence row, the electronic licence,
    the ledger, and the case done. Returns (valid from, expires on)."""
    case = connection.execute(
        select(cases.c.licence_no, cases.c.expires_on, cases.c.natural_key).where(cases.c.id == case_id)
    ).one()
    valid_from, expires_on = renewed_term(licence_type, case.expires_on, decided_at.astimezone(zone).date())
    changed = connection.execute(  # compare-and-set: the licence is still the term this case renews
        update(licences)
        .where(licences.c.licence_no == case.licence_no, licences.c.expires_on == case.expires_on)
        .values(valid_from=valid_from, expires_on=expires_on, status="valid", updated_at=at)
    )
    if changed.rowcount != 1:
        raise LicenceChanged(f"licence {case.licence_no} no longer expires on {case.expires_on}")
    connection.execute(
        e_licences.insert().values(
            licence_no=case.licence_no,
            case_id=case_id,
            valid_from=valid_from,
            expires_on=expires_on,
            verification_code=secrets.token_hex(8).upper(),
            validity_reference=licence_type.renewed_term.reference,
            issued_at=at,
        )
    )
    renewed = {
        "case_id": case_id,
        "entity_key": case.licence_no,
        "reason": f"renewed: valid {valid_from} to {expires_on} (was to {case.expires_on})",
        "details": {"reference": licence_type.renewed_term.reference},
    }
    record_changes(connection, Entity.LICENCE, [renewed], ACTOR, at)
    move_case(
        connection,
        case_id,
        State.DONE,
        f"licence renewed in our records to {expires_on}; electronic licence issued",
        ACTOR,
        at,
        new_expires_on=expires_on,
    )
    return valid_from, expires_on
