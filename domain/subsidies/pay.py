"""`proactive subsidy pay FILE`: the treasury's payment file applied to the store. Reading and deciding are pure
(`payments.py`); here are the file, the case rows and, per recorded line, the move to `paid` with its ledger entry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, or_, select

from domain.policies.model import is_placeholder
from domain.subsidies.payments import Line, Outcome, Result, decide, read_lines
from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.store.tables import cases, subjects

ACTOR = "treasury:payment_file"


def import_payments(
    engine: Engine, path: Path, zone: ZoneInfo, now: datetime, *, allow_placeholders: bool
) -> list[Outcome]:
    """Record every good line of the payment file at `path` on its case, once; the outcome of every line. A case
    decided on a placeholder reference (〔待填…〕) is refused unless `allow_placeholders`."""
    lines = read_lines(path.read_bytes(), zone)
    with engine.connect() as connection:
        known = _cases(connection, [line.key for line in lines])
        vouchers = _vouchers(connection, [line.voucher for line in lines])
    outcomes = decide(lines, known, vouchers, allow_placeholders)
    for outcome in outcomes:
        if outcome.result is Result.RECORDED:
            assert outcome.case_id is not None
            _record(engine, outcome.case_id, outcome.line, path.name, now)
    return outcomes


class AwaitingPayment(NamedTuple):
    """An approved subsidy the treasury is to pay, as its payment file names it."""

    application_no: str
    payee: str  # the subject's name
    amount_yuan: int


def awaiting_payment(connection: Connection) -> list[AwaitingPayment]:
    """The approved subsidy cases, oldest first."""
    query = (
        select(cases.c.application_no, subjects.c.name, cases.c.amount_yuan)
        .join(subjects, subjects.c.subject_key == cases.c.subject_key)
        .where(cases.c.kind == "subsidy", cases.c.state == State.APPROVED.value)
        .order_by(cases.c.id)
    )
    return [AwaitingPayment(str(no), str(name), int(amount)) for no, name, amount in connection.execute(query)]


def _cases(connection: Connection, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The subsidy cases the lines name, under their application number and under our reference, each with the
    placeholder references its trace recorded."""
    columns = (cases.c.application_no, cases.c.platform_ref, cases.c.amount_yuan, cases.c.payment_ref, cases.c.trace)
    query = select(cases.c.id, cases.c.state, *columns).where(
        cases.c.kind == Kind.SUBSIDY.value, or_(cases.c.application_no.in_(keys), cases.c.platform_ref.in_(keys))
    )
    rows = [dict(row) for row in connection.execute(query).mappings()]
    for row in rows:
        policy = row.pop("trace")["policy"]
        # A trace written before placeholders were recorded still names the policy's own reference.
        recorded = policy.get("placeholder_references")
        if recorded is None:
            recorded = [policy["reference"]] if is_placeholder(policy["reference"]) else []
        row["placeholder_references"] = recorded
    return {str(row[key]): row for row in rows for key in ("application_no", "platform_ref") if row[key]}


def _vouchers(connection: Connection, vouchers: list[str]) -> dict[str, int]:
    """The vouchers of the file already recorded on a case, with that case's id."""
    query = select(cases.c.payment_ref, cases.c.id).where(cases.c.payment_ref.in_(vouchers))
    return {str(voucher): int(case_id) for voucher, case_id in connection.execute(query).all()}


def _record(engine: Engine, case_id: int, line: Line, file: str, now: datetime) -> None:
    assert line.paid_at is not None
    paid_at = line.paid_at.astimezone(UTC)  # SQLite keeps no offset: every stored moment is UTC
    details = {"voucher": line.voucher, "paid_at": paid_at.isoformat(), "amount_yuan": str(line.amount)}
    with engine.begin() as connection:
        move_case(
            connection,
            case_id,
            State.PAID,
            f"treasury paid {line.amount} yuan under voucher {line.voucher} ({file}, line {line.line})",
            ACTOR,
            now,
            details | {"file": file, "line": line.line},
            paid_at=paid_at,
            payment_ref=line.voucher,
        )
