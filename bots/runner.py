"""The bot jobs over the store: pre-fill the seamless cases, read the approvers' decisions back.

Crash safety rests on two facts: our reference is on the case (committed) before the browser does anything, and
the bot searches the platform for that reference before it files anything for a case that could have been filed
already — a retry, or a case whose reference an earlier run wrote. A case whose reference this run wrote cannot
have an application yet, so its first try files at once (a search per case would only repeat a page load, and a
platform's paged list is no proof of absence). A run killed at any moment — even after the platform accepted an
application but before our commit — finds that application on the next run and records it instead of filing a
second one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import Column, Connection, Engine, and_, func, or_, select, update

from bots.application import platform_ref, renewal_fields
from bots.errors import BotError, LoginRefused, SessionExpired
from bots.profile import SiteProfile
from bots.session import Platform, PlatformSession
from bots.steps import PLATFORM_ZONE, Found, file_application, find_application, list_applications
from bots.subsidy_application import missing, subsidy_fields
from domain.licence_types import LicenceType, load_licence_types
from domain.renewals.law import fileable_renewal
from domain.renewals.renew import renew_licence
from ground.browser import chromium
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.cases.release import released_at
from ground.store.tables import bot_attempts, cases, licences, subjects

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
LOGIN_REFUSED = "login_refused"  # an attempt's outcome: the platform refused the bot's account
INTERRUPTED = "interrupted"  # an attempt's outcome: its process died (killed, crashed) before the attempt ended
REFUSED_LOGIN = "the platform refused the bot's login: check the bot account before the next round"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    backoff_seconds: float = 2.0  # doubled after each transient failure of the same case
    breaker_threshold: int = 3  # this many cases in a row failing transiently: the platform is down, stop
    park_after: int = 9  # transient failures of one case, over all runs, before a person must look


@dataclass
class BotReport:
    bot: str
    cases: int = 0
    done: int = 0
    found_existing: int = 0
    parked: int = 0
    left_for_later: int = 0
    stopped_early: bool = False  # the breaker opened, a login was refused, or hours ended: see warnings
    login_refused: bool = False  # the platform refused the bot's account: nothing more should try it this round
    outcomes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class Breaker:
    """Stops a batch: after `threshold` cases in a row failed transiently across the batch's sessions (the platform
    looks down), or at once when the platform refuses the bot's login or the batch must end (`trip`)."""

    def __init__(self, threshold: int, keep_going: Callable[[], bool] = lambda: True) -> None:
        self.threshold, self._keep_going = threshold, keep_going
        self.in_a_row: list[int] = []  # the cases of the current run of transient failures
        self.outage: list[int] = []  # the cases whose failures opened the breaker, and those failing after
        self.reason: str | None = None  # set when open

    def record(self, case_id: int, transient_failure: bool) -> None:
        if self.reason is not None:  # cases other sessions had in hand when it opened
            self.outage += [case_id] if transient_failure and self.outage else []
            return
        self.in_a_row = [*self.in_a_row, case_id] if transient_failure else []
        if len(self.in_a_row) >= self.threshold:
            self.reason = f"the platform looks down: {len(self.in_a_row)} cases in a row failed"
            self.outage = list(self.in_a_row)

    def trip(self, reason: str) -> None:
        self.reason = self.reason or reason

    @property
    def open(self) -> bool:
        if self.reason is None and not self._keep_going():
            self.reason = "the platform's hours ended or the service is stopping"
        return self.reason is not None


def prefill_seamless(
    engine: Engine,
    platform: Platform,
    policy: RetryPolicy,
    now: Clock,
    concurrency: int = 1,
    limit: int | None = None,
    kinds: tuple[str, ...] | None = None,
    keep_going: Callable[[], bool] = lambda: True,
    late_types: frozenset[str] = frozenset(),
) -> BotReport:
    """File every seamless case of `kinds` (renewal, subsidy; default both) that has no application yet, at most
    `limit` of them (one application per case, whatever happens), with `concurrency` pages of one browser at work.
    A renewal is filed only with its holder's consent and while its window is open on the platform's day (Beijing
    time): from its opening to its close, or to the licence's expiry for `late_types`, whose rules accept a late
    application. Before each case `keep_going` is asked: when it says no (the platform's hours have ended, the
    service is stopping), the cases not begun wait for the next round."""
    report = BotReport(bot="prefill")
    profile = platform.profile
    filings = {kind: filing for kind, filing in FILINGS.items() if kinds is None or kind in kinds}
    today = now().astimezone(PLATFORM_ZONE).date()
    work = _seamless_cases(engine, profile, limit, filings, today, late_types)
    for kind, what, waiting in _offline(engine, profile, filings):
        listed = ", ".join(f"{key} {count}" for key, count in waiting.items())
        report.warnings.append(f"seamless {kind} cases of {what} this platform does not file online wait: {listed}")
    report.cases = len(work)
    _claim_references(engine, work)
    if work:
        asyncio.run(_prefill_batch(engine, platform, policy, now, work, concurrency, report, keep_going))
    return report


@dataclass(frozen=True)
class Filing:
    """How one kind of case is filed: which cases the platform takes, on which form, with which values."""

    what: str  # what the platform files online or not, for the warning about cases that wait
    column: Column[Any]
    online: Callable[[SiteProfile], list[str]]  # the values of `column` the platform files online
    matter: Callable[[SiteProfile, dict[str, Any]], str]
    values: Callable[[Engine, SiteProfile, dict[str, Any]], dict[str, Any]]
    missing: Callable[[dict[str, Any]], list[str]]  # what the registry lacks for the form, in Chinese


def _renewal_values(engine: Engine, profile: SiteProfile, case: dict[str, Any]) -> dict[str, Any]:
    query = (
        select(
            licences,
            subjects.c.credit_code,
            subjects.c.legal_rep,
            subjects.c.address.label("subject_address"),
            subjects.c.mobile.label("subject_mobile"),
            subjects.c.updated_at.label("subject_updated_at"),
        )
        .select_from(licences.outerjoin(subjects, subjects.c.subject_key == licences.c.subject_key))
        .join(cases, cases.c.licence_no == licences.c.licence_no)
        .where(cases.c.id == case["id"])
    )
    with engine.connect() as connection:
        row = dict(connection.execute(query).mappings().one())
    subject = {
        "credit_code": row["credit_code"],
        "legal_rep": row["legal_rep"],
        "address": row["subject_address"],
        "mobile": row["subject_mobile"],
        "updated_at": row["subject_updated_at"],
    }
    return renewal_fields(case, row, subject)


def _subsidy_values(engine: Engine, profile: SiteProfile, case: dict[str, Any]) -> dict[str, Any]:
    with engine.connect() as connection:
        subject = connection.execute(select(subjects).where(subjects.c.subject_key == case["subject_key"]))
        row = dict(subject.mappings().one())
    return subsidy_fields(case, row, profile.subsidy_policies[case["policy_id"]])


FILINGS: dict[str, Filing] = {
    # Routing already sent renewals lacking a contact to the assisted route: what reaches the bot can be filed.
    Kind.RENEWAL: Filing(
        what="licence types",
        column=cases.c.licence_type,
        online=lambda profile: list(profile.renewal_matters),
        matter=lambda profile, case: profile.renewal_matters[case["licence_type"]],
        values=_renewal_values,
        missing=lambda values: [],
    ),
    Kind.SUBSIDY: Filing(  # the profile lists policies only with a subsidy matter to file them on
        what="policies",
        column=cases.c.policy_id,
        online=lambda profile: list(profile.subsidy_policies),
        matter=lambda profile, case: str(profile.subsidy_matter),
        values=_subsidy_values,
        missing=missing,
    ),
}


def _seamless_cases(
    engine: Engine,
    profile: SiteProfile,
    limit: int | None,
    filings: dict[str, Filing],
    today: date,
    late_types: frozenset[str],
) -> list[dict[str, Any]]:
    """Seamless cases with no application yet, of the kinds this platform files online, that may be filed today;
    renewals (which have a deadline) first, the soonest-closing window first."""
    query = (
        select(
            cases.c.id,
            cases.c.kind,
            cases.c.platform_ref,
            cases.c.licence_type,
            cases.c.score,
            cases.c.model_version,
            cases.c.reasons,
            cases.c.subject_key,
            cases.c.policy_id,
            cases.c.period,
            cases.c.amount_yuan,
            cases.c.trace,
        )
        .where(
            or_(*(and_(cases.c.kind == k, f.column.in_(f.online(profile))) for k, f in filings.items())),
            or_(
                fileable_renewal(today, late_types),
                and_(cases.c.kind == Kind.SUBSIDY.value, cases.c.state == State.ROUTED.value),
            ),
            cases.c.route == Route.SEAMLESS.value,
            cases.c.application_no.is_(None),
        )
        .order_by(cases.c.window_closes_on.nulls_last(), cases.c.id)
        .limit(limit)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def _offline(engine: Engine, profile: SiteProfile, filings: dict[str, Filing]) -> list[tuple[str, str, dict[str, int]]]:
    """(kind, what, value → cases) for the seamless cases waiting because the platform does not file them."""
    found = []
    for kind, filing in filings.items():
        query = (
            select(filing.column, func.count())
            .where(
                cases.c.kind == kind,
                cases.c.state.in_([State.ROUTED.value, State.AWAITING_CONSENT.value, State.CONSENTED.value]),
                cases.c.route == Route.SEAMLESS.value,
                filing.column.not_in(filing.online(profile)),
            )
            .group_by(filing.column)
        )
        with engine.connect() as connection:
            waiting = {str(key): int(count) for key, count in connection.execute(query).all()}
        if waiting:
            found.append((kind, filing.what, waiting))
    return found


def _claim_references(engine: Engine, work: list[dict[str, Any]]) -> None:
    """Write our platform reference on each case before any browser step (the intent, recorded first); `claimed`
    marks the cases whose reference this run wrote, which no application can have yet."""
    with engine.begin() as connection:
        for case in work:
            case["claimed"] = False
            if case["platform_ref"] is None:
                case["platform_ref"] = platform_ref(case["id"])
                written = connection.execute(
                    update(cases)
                    .where(cases.c.id == case["id"], cases.c.platform_ref.is_(None))
                    .values(platform_ref=case["platform_ref"])
                )
                case["claimed"] = written.rowcount == 1


async def _prefill_batch(
    engine: Engine,
    platform: Platform,
    policy: RetryPolicy,
    now: Clock,
    work: list[dict[str, Any]],
    concurrency: int,
    report: BotReport,
    keep_going: Callable[[], bool],
) -> None:
    """One browser for the batch and `concurrency` sessions in it, each taking the next case when it is done with
    one (in `work`'s order), so that while one page waits for the platform another is being filled."""
    breaker, todo, started = Breaker(policy.breaker_threshold, keep_going), iter(work), now()
    async with chromium() as browser, AsyncExitStack() as stack:
        first = await stack.enter_async_context(PlatformSession(platform, browser))
        await _sign_in(first, breaker)  # once, so that the other sessions start from the cookies it saved
        others = range(min(concurrency, len(work)) - 1)
        sessions = [first, *[await stack.enter_async_context(PlatformSession(platform, browser)) for _ in others]]
        await asyncio.gather(
            *(_prefill_cases(engine, session, policy, now, todo, breaker, report) for session in sessions)
        )
    _close_batch(engine, breaker, started, report)


def _close_batch(engine: Engine, breaker: Breaker, started: datetime, report: BotReport) -> None:
    """Say why the batch stopped early, if it did; failures that opened the breaker were the platform's, not the
    cases': they are recorded as an outage, which does not count towards parking a case."""
    if breaker.reason is None:
        return
    report.stopped_early = True
    report.warnings.append(f"{breaker.reason}; {report.left_for_later} cases wait for the next round")
    report.login_refused = breaker.reason == REFUSED_LOGIN
    if breaker.outage:
        with engine.begin() as connection:
            connection.execute(
                update(bot_attempts)
                .where(
                    bot_attempts.c.case_id.in_(breaker.outage),
                    bot_attempts.c.bot == report.bot,
                    bot_attempts.c.outcome == "transient",
                    bot_attempts.c.started_at >= started,
                )
                .values(outcome="outage")
            )


async def _prefill_cases(
    engine: Engine,
    session: PlatformSession,
    policy: RetryPolicy,
    now: Clock,
    todo: Iterator[dict[str, Any]],
    breaker: Breaker,
    report: BotReport,
) -> None:
    for case in todo:
        if breaker.open:
            report.left_for_later += 1
            continue
        outcome = await _prefill_case(engine, session, policy, now, case)
        _record(breaker, case["id"], outcome)
        _count(report, outcome)


def _record(breaker: Breaker, case_id: int, outcome: str) -> None:
    if outcome == LOGIN_REFUSED:
        breaker.trip(REFUSED_LOGIN)
    else:
        breaker.record(case_id, outcome == "transient")


async def _prefill_case(
    engine: Engine,
    session: PlatformSession,
    policy: RetryPolicy,
    now: Clock,
    case: dict[str, Any],
) -> str:
    filing = FILINGS[case["kind"]]
    values = filing.values(engine, session.platform.profile, case)
    lacking = filing.missing(values)
    if lacking:  # no form can be filed without them: a person must get them, the platform is not asked
        reason = f"登记数据缺少{'、'.join(lacking)}，无法预填申请"
        _park(engine, case["id"], "prefill", reason, {"missing": lacking}, now())
        return "parked"
    step = partial(_prefill, session, case, values)
    outcome, result = await _with_retries(engine, session, policy, now, case["id"], "prefill", step)
    if outcome == "done":
        number, outcome = result
        _record_prefilled(engine, case["id"], number, outcome, now())
    return str(outcome)


async def _prefill(
    session: PlatformSession, case: dict[str, Any], values: dict[str, Any], attempt: int
) -> tuple[str, str]:
    """(application number, how): found under our reference, or filed now. Only the first try of a case whose
    reference this run wrote files without searching first: any other try may follow one that filed."""
    reference = case["platform_ref"]
    existing = None if attempt == 1 and case.get("claimed") else await find_application(session, reference)
    if existing is not None:
        return existing.application_no, "found"
    matter = FILINGS[case["kind"]].matter(session.platform.profile, case)
    return await file_application(session, matter, values), "filed"


async def _with_retries(
    engine: Engine,
    session: PlatformSession,
    policy: RetryPolicy,
    now: Clock,
    case_id: int,
    bot: str,
    step: Callable[[int], Awaitable[Any]],
    park: bool = True,
) -> tuple[str, Any]:
    """Try a case up to max_attempts times, recording each attempt: ("done", result), or the outcome's name.
    `step` is given the attempt's number (1 for the first try of this run).

    With `park`, a refusal parks the case at once, and transient failures leave it for the next run until it has
    failed `park_after` times in all: then it is parked, with the last screenshot, for the operator. A refused
    login is no case's fault: it ends the tries (LOGIN_REFUSED) and the batch.
    """
    for attempt in range(1, policy.max_attempts + 1):
        attempt_id = _start_attempt(engine, case_id, bot, now())
        try:
            await session.ensure_logged_in()  # outside the trace: the password never lands in a file
            async with session.attempt(f"case-{case_id}-{bot}-{attempt_id}"):
                result = await step(attempt)
        except LoginRefused as exc:
            _finish_attempt(engine, attempt_id, now(), LOGIN_REFUSED, str(exc), exc.evidence)
            log.error("case %s %s: %s", case_id, bot, exc)
            return LOGIN_REFUSED, None
        except BotError as exc:
            outcome = "transient" if exc.transient else "permanent"
            _finish_attempt(engine, attempt_id, now(), outcome, str(exc), exc.evidence)
            log.warning("case %s %s attempt %s: %s", case_id, bot, attempt, " ".join(str(exc).split()))
            if not exc.transient:
                if park:
                    _park(engine, case_id, bot, f"平台拒绝：{exc}", exc.evidence, now())
                return ("parked" if park else outcome), None
            if park and _transient_failures(engine, case_id, bot) >= policy.park_after:
                _park(engine, case_id, bot, f"多次尝试失败：{exc}", exc.evidence, now())
                return "parked", None
            if isinstance(exc, SessionExpired):
                session.session_expired()  # log in again before the next try, outside its trace
            elif attempt < policy.max_attempts:
                await asyncio.sleep(policy.backoff_seconds * 2 ** (attempt - 1))
            continue
        _finish_attempt(engine, attempt_id, now(), "done", None, None)
        return "done", result
    return "transient", None


def _transient_failures(engine: Engine, case_id: int, bot: str) -> int:
    """The case's transient failures since the operator last released it from parking (all, if never)."""
    with engine.connect() as connection:
        since = released_at(connection, case_id)
        query = select(func.count()).where(
            bot_attempts.c.case_id == case_id, bot_attempts.c.bot == bot, bot_attempts.c.outcome == "transient"
        )
        if since is not None:
            query = query.where(bot_attempts.c.started_at > since)
        return int(connection.execute(query).scalar_one())


def close_interrupted(engine: Engine, at: datetime) -> int:
    """Close as interrupted, at `at`, the attempts a dead process left running; how many. Only for a caller that
    holds the database's bots lock (`agent.jobs.bot_round`): then no other round is at work and every running
    attempt is a killed one's. The kill was no verdict on the case, so it never counts towards parking."""
    with engine.begin() as connection:
        closed = connection.execute(
            update(bot_attempts).where(bot_attempts.c.outcome == "running").values(outcome=INTERRUPTED, finished_at=at)
        )
    return int(closed.rowcount)


def _start_attempt(engine: Engine, case_id: int, bot: str, at: datetime) -> int:
    with engine.begin() as connection:
        result = connection.execute(
            bot_attempts.insert().values(case_id=case_id, bot=bot, started_at=at, outcome="running")
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def _finish_attempt(
    engine: Engine, attempt_id: int, at: datetime, outcome: str, error: str | None, evidence: dict[str, Any] | None
) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(bot_attempts)
            .where(bot_attempts.c.id == attempt_id)
            .values(finished_at=at, outcome=outcome, error=error, evidence=evidence or None)
        )


def _record_prefilled(engine: Engine, case_id: int, number: str, how: str, at: datetime) -> None:
    reason = (
        f"application {number} filed on the platform"
        if how == "filed"
        else f"application {number} found on the platform under our reference (filed by an interrupted run)"
    )
    _move(engine, case_id, State.PREFILLED, reason, "bot:prefill", at, application_no=number)


def _park(engine: Engine, case_id: int, bot: str, reason: str, evidence: dict[str, Any], at: datetime) -> None:
    _move(engine, case_id, State.PARKED, reason, f"bot:{bot}", at, details=evidence, parked_reason=reason)


def _move(
    engine: Engine,
    case_id: int,
    new: State,
    reason: str,
    actor: str,
    at: datetime,
    details: dict[str, Any] | None = None,
    **values: Any,
) -> None:
    """Change a case's state with its ledger entry, in one transaction."""
    with engine.begin() as connection:
        move_case(connection, case_id, new, reason, actor, at, details, **values)


def _count(report: BotReport, outcome: str) -> None:
    report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
    if outcome in ("filed", "found", "approved", "returned"):
        report.done += 1
        report.found_existing += outcome == "found"
    elif outcome == "parked":
        report.parked += 1
    elif outcome != "pending":
        report.left_for_later += 1


def sync_statuses(
    engine: Engine,
    platform: Platform,
    policy: RetryPolicy,
    now: Clock,
    keep_going: Callable[[], bool] = lambda: True,
    types: Mapping[str, LicenceType] | None = None,
) -> BotReport:
    """Read the approvers' decisions for every filed case: confirmed cases move on, returned ones become assisted
    with the approver's reason kept in the ledger. Assisted means a person takes the case over from the bots: staff
    help the holder of a returned renewal; a policy officer reviews a returned subsidy's match (the business never
    applied, so it is told nothing until a payment is made). A confirmed renewal's licence is renewed in our
    records by its type's rule (`types`, the shipped licence types by default), in the same transaction."""
    report = BotReport(bot="status_sync")
    query = select(cases.c.id, cases.c.kind, cases.c.licence_type, cases.c.platform_ref, cases.c.application_no).where(
        cases.c.state == State.PREFILLED.value, cases.c.platform_ref.is_not(None)
    )
    with engine.connect() as connection:
        work = [dict(row) for row in connection.execute(query).mappings()]
    report.cases = len(work)
    if work:
        known = types if types is not None else load_licence_types()
        asyncio.run(_sync_batch(engine, platform, policy, now, work, report, keep_going, known))
    return report


async def _sync_batch(
    engine: Engine,
    platform: Platform,
    policy: RetryPolicy,
    now: Clock,
    work: list[dict[str, Any]],
    report: BotReport,
    keep_going: Callable[[], bool],
    types: Mapping[str, LicenceType],
) -> None:
    """A case whose status cannot be read now is left for the next round, never parked: the application is filed
    and the platform will still hold it."""
    breaker, started = Breaker(policy.breaker_threshold, keep_going), now()
    async with chromium() as browser, PlatformSession(platform, browser) as session:
        listed = await _listing(session, breaker)
        for case in work:
            if breaker.open:
                report.left_for_later += 1
                continue
            if case["platform_ref"] in listed:  # one page read for the whole batch
                outcome = _apply_decision(engine, case, listed[case["platform_ref"]], now(), types)
            else:  # not on the list page: search for it, with the usual retries
                look = partial(_search, session, case["platform_ref"])
                outcome, found = await _with_retries(
                    engine, session, policy, now, case["id"], "status_sync", look, park=False
                )
                if outcome == "done":
                    outcome = _apply_decision(engine, case, found, now(), types)
            _record(breaker, case["id"], outcome)
            _count(report, outcome)
    _close_batch(engine, breaker, started, report)


async def _search(session: PlatformSession, reference: str, attempt: int) -> Found | None:
    """Every try searches: a status is read, never filed."""
    return await find_application(session, reference)


async def _sign_in(session: PlatformSession, breaker: Breaker) -> bool:
    """Log in before the cases; a refused login opens the breaker (no case is tried), another failure is left for
    each case's tries to meet again. Whether the session is signed in."""
    try:
        await session.ensure_logged_in()
        return True
    except LoginRefused as exc:
        breaker.trip(REFUSED_LOGIN)
        log.error("%s", exc)
    except (BotError, PlaywrightError) as exc:
        log.warning("could not sign in before the cases (%s): each case tries again", exc)
    return False


async def _listing(session: PlatformSession, breaker: Breaker) -> dict[str, Found]:
    """The platform's list of our applications, or nothing if it cannot be read now (cases are then searched)."""
    if not await _sign_in(session, breaker):
        return {}
    try:
        return await list_applications(session)
    except (BotError, PlaywrightError) as exc:
        log.warning("could not read the application list (%s): searching case by case", exc)
        return {}


def _apply_decision(
    engine: Engine, case: dict[str, Any], found: Found | None, at: datetime, types: Mapping[str, LicenceType]
) -> str:
    number = case["application_no"]
    if found is None:
        log.warning("case %s: application %s is no longer on the platform", case["id"], number)
        return "missing"
    if found.status == "approved":
        with engine.begin() as connection:
            _approve(connection, case, found, at, types)
        return "approved"
    if found.status == "returned":
        reason = found.decision or "（平台未给出退回原因）"
        _move(
            engine,
            case["id"],
            State.RETURNED,
            f"approver returned application {number}: {reason}",
            "bot:status_sync",
            at,
            details={"return_reason": reason},
            route=Route.ASSISTED.value,
            decided_at=found.decided_at or at,
        )
        return "returned"
    return "pending"


def _approve(
    connection: Connection, case: dict[str, Any], found: Found, at: datetime, types: Mapping[str, LicenceType]
) -> None:
    """The approver's confirmation, at the approver's own time where the platform shows it; a renewal's licence is
    renewed in our records in the same transaction (a type we do not know waits, approved, for a person)."""
    decided = found.decided_at or at
    shown = "" if found.decided_at else " (the platform shows no decision time: the time it was read)"
    reason = f"approver confirmed application {case['application_no']}{shown}"
    move_case(connection, case["id"], State.APPROVED, reason, "bot:status_sync", at, decided_at=decided)
    licence_type = types.get(case["licence_type"] or "")
    if case["kind"] == Kind.RENEWAL and licence_type is not None:
        renew_licence(connection, case["id"], licence_type, decided, PLATFORM_ZONE, at)
