"""The status sync: read the approvers' decisions for every filed case back from the platform."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from playwright.async_api import Error as PlaywrightError
from sqlalchemy import Connection, Engine

from bots import misfits
from bots.batch import Batch, Clock, unfinished
from bots.errors import BotError, Misfit
from bots.profile import PlatformStatus
from bots.report import BotReport, Outcome
from bots.selection import prefilled_cases
from bots.session import Platform, PlatformSession
from bots.steps import PLATFORM_ZONE, Found, find_application, list_applications
from domain.licence_types import LicenceType, load_licence_types
from domain.renewals.renew import renew_licence
from ground.browser import chromium
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.outside_work.breaker import always
from ground.outside_work.policy import Next, RetryPolicy

log = logging.getLogger(__name__)
BOT = "status_sync"
ACTOR = f"bot:{BOT}"


def sync_statuses(
    engine: Engine,
    platform: Platform,
    policy: RetryPolicy,
    now: Clock,
    keep_going: Callable[[], bool] = always,
    types: Mapping[str, LicenceType] | None = None,
) -> BotReport:
    """Read the approvers' decisions for every filed case: confirmed cases move on, returned ones become assisted
    with the approver's reason kept in the ledger. Assisted means a person takes the case over from the bots: staff
    help the holder of a returned renewal; a policy officer reviews a returned subsidy's match (the business never
    applied, so it is told nothing until a payment is made). A confirmed renewal's licence is renewed in our
    records by its type's rule (`types`, the shipped licence types by default), in the same transaction."""
    report = BotReport(bot=BOT)
    if misfits.held_back(platform, report):
        return report
    work = prefilled_cases(engine)
    report.cases = len(work)
    if work:
        known = types if types is not None else load_licence_types()
        asyncio.run(_sync_batch(Batch(engine, policy, now, report, keep_going), platform, work, known))
    return report


async def _sync_batch(
    batch: Batch, platform: Platform, work: list[dict[str, Any]], types: Mapping[str, LicenceType]
) -> None:
    """A case whose status cannot be read now is left for the next round, never parked: the application is filed
    and the platform will still hold it."""
    async with chromium() as browser, PlatformSession(platform, browser) as session:
        listed = await _listing(batch, session)
        await batch.work_through(iter(work), partial(_sync_case, batch, session, listed, types))
    batch.close()


async def _sync_case(
    batch: Batch,
    session: PlatformSession,
    listed: dict[str, Found],
    types: Mapping[str, LicenceType],
    case: dict[str, Any],
) -> Next:
    reference = case["platform_ref"]
    if reference in listed:  # one page read for the whole batch
        batch.report.count(_apply_decision(batch.engine, case, listed[reference], batch.now(), types))
        return Next.DONE
    # Not on the list page: search for it, with the usual retries; every try searches, a status is only read.
    tried = await batch.tries(session, case["id"], lambda attempt: find_application(session, reference), parks=False)
    done = tried.next is Next.DONE
    batch.report.count(
        _apply_decision(batch.engine, case, tried.result, batch.now(), types) if done else unfinished(tried)
    )
    return tried.next


async def _listing(batch: Batch, session: PlatformSession) -> dict[str, Found]:
    """The platform's list of our applications, or nothing if it cannot be read now (cases are then searched)."""
    if not await batch.sign_in(session):
        return {}
    try:
        return await list_applications(session)
    except Misfit as exc:  # the cases are not searched either: the round stops
        await batch.misfit(session, exc, None)
        return {}
    except (BotError, PlaywrightError) as exc:
        log.warning("could not read the application list (%s): searching case by case", exc)
        return {}


def _apply_decision(
    engine: Engine, case: dict[str, Any], found: Found | None, at: datetime, types: Mapping[str, LicenceType]
) -> Outcome:
    number = case["application_no"]
    if found is None:
        log.warning("case %s: application %s is no longer on the platform", case["id"], number)
        return Outcome.MISSING
    if found.status is PlatformStatus.PENDING:
        return Outcome.PENDING
    with engine.begin() as connection:
        if found.status is PlatformStatus.APPROVED:
            _approve(connection, case, found, at, types)
            return Outcome.APPROVED
        _return(connection, case, found, at)
    return Outcome.RETURNED


def _return(connection: Connection, case: dict[str, Any], found: Found, at: datetime) -> None:
    """The approver's return: the case becomes assisted, the approver's reason kept in the ledger."""
    reason = found.decision or "（平台未给出退回原因）"
    move_case(
        connection,
        case["id"],
        State.RETURNED,
        f"approver returned application {case['application_no']}: {reason}",
        ACTOR,
        at,
        details={"return_reason": reason},
        route=Route.ASSISTED.value,
        decided_at=_decided(found, at),
    )


def _decided(found: Found, at: datetime) -> datetime:
    """The approver's own decision time where the platform shows it, else when it was read, in UTC: every stored
    moment is UTC (SQLite keeps no offset, so a Beijing time stored as it is would read back 8 hours late)."""
    return (found.decided_at or at).astimezone(UTC)


def _approve(
    connection: Connection, case: dict[str, Any], found: Found, at: datetime, types: Mapping[str, LicenceType]
) -> None:
    """The approver's confirmation, at the approver's own time where the platform shows it; a renewal's licence is
    renewed in our records in the same transaction (a type we do not know waits, approved, for a person)."""
    decided = _decided(found, at)
    shown = "" if found.decided_at else " (the platform shows no decision time: the time it was read)"
    reason = f"approver confirmed application {case['application_no']}{shown}"
    move_case(connection, case["id"], State.APPROVED, reason, ACTOR, at, decided_at=decided)
    licence_type = types.get(case["licence_type"] or "")
    if case["kind"] == Kind.RENEWAL and licence_type is not None:
        renew_licence(connection, case["id"], licence_type, decided, PLATFORM_ZONE, at)
