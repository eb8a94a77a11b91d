"""A service officer's filing of an assisted renewal on the approval platform in the holder's name (代办提交): the
work-log entry with the holder's 委托 and the case's move to `prefilled` under our reference and the platform's
application number, in the caller's transaction — so the status sync reads its decision back and the chase round
chases it, as it does the bots' filings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from domain.assistance.actions import Action
from domain.assistance.roster import Officer
from domain.assistance.worklog import log_work
from ground.cases.lifecycle import State
from ground.cases.moves import move_case


def record_officer_filing(
    connection: Connection,
    case_id: int,
    officer: Officer,
    mandate: str,
    reference: str,
    application_no: str,
    at: datetime,
) -> None:
    """Refused (WorkLogRefused) without the holder's 委托 or on a case that is not an open renewal; the lifecycle
    refuses a case not waiting to be filed."""
    note = f"代为提交延续申请，平台申请编号 {application_no}（参考号 {reference}）"
    log_work(connection, case_id, officer, Action.FILED, note, mandate, at)
    reason = f"filed on the platform by officer {officer.id} {officer.name} in the holder's name (委托 {mandate})"
    move_case(
        connection,
        case_id,
        State.PREFILLED,
        reason,
        f"officer:{officer.id}",
        at,
        details={"officer": officer.id, "mandate": mandate},
        platform_ref=reference,
        application_no=application_no,
    )
