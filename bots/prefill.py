"""The pre-fill bot: file every seamless case that has no application yet, once.

Crash safety rests on two facts: our reference is on the case (committed with the round's lease on it,
`bots.claims`) before the browser does anything, and the bot searches the platform for that reference before it
files anything for a case that could have been filed already — a retry, or a case whose reference an earlier run
wrote. A case whose reference this run wrote cannot have an application yet, so its first try files at once (a
search per case would only repeat a page load, and a platform's paged list is no proof of absence). A run killed at
any moment — even after the platform accepted an application but before our commit — finds that application on
the next run and records it instead of filing a second one. Rounds on several workers take disjoint cases by their
leases; a case whose round died is taken by another once its lease has run out, and that one searches first (the
reference was not its own).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine

from bots import misfits
from bots.batch import Batch, Clock, unfinished
from bots.claims import claim, release, round_name
from bots.filings import FILINGS
from bots.profile import SiteProfile
from bots.report import BotReport, Outcome
from bots.selection import due_matters, offline, seamless_cases
from bots.session import Platform, PlatformSession
from bots.steps import PLATFORM_ZONE, file_application, find_application
from ground.browser import chromium
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.outside_work.attempts import park
from ground.outside_work.breaker import always
from ground.outside_work.policy import Next, RetryPolicy
from ground.outside_work.runner import Tried
from ground.settings import PlatformSettings

BOT = "prefill"
ACTOR = f"bot:{BOT}"
# A case's lease, claimed when a page takes it (the setting's default, for rounds started without settings).
LEASE_SECONDS = PlatformSettings().lease_seconds


def prefill_seamless(
    engine: Engine,
    platform: Platform,
    policy: RetryPolicy,
    now: Clock,
    concurrency: int = 1,
    limit: int | None = None,
    kinds: tuple[str, ...] | None = None,
    keep_going: Callable[[], bool] = always,
    late_types: frozenset[str] = frozenset(),
    matters: frozenset[str] | None = None,
    lease_seconds: float = LEASE_SECONDS,
    lane: str = "alone",
) -> BotReport:
    """File every seamless case of `kinds` (renewal, subsidy; default both) on `matters` (default all) that has no
    application yet, at most `limit` of them (one application per case, whatever happens), with `concurrency`
    pages of one browser at work. A renewal is filed only with its holder's consent and while its window is open on
    the platform's day (Beijing time): from its opening to its close, or to the licence's expiry for `late_types`,
    whose rules accept a late application. Each page claims its next case when it takes it (a lease of
    `lease_seconds` in the name of the round's `lane`, `bots.claims`): rounds on other workers take other cases
    meanwhile. Before each case
    `keep_going` is asked: when it says no (the platform's hours have ended, the service is stopping), the cases
    not begun wait for the next round."""
    report = BotReport(bot=BOT)
    if misfits.held_back(platform, report):
        return report
    profile = platform.profile
    filings = {kind: filing for kind, filing in FILINGS.items() if kinds is None or kind in kinds}
    today = now().astimezone(PLATFORM_ZONE).date()
    me = round_name(lane)
    work = seamless_cases(engine, profile, None, filings, today, late_types, matters, (me, now()))
    for kind, what, waiting in offline(engine, profile, filings):
        listed = ", ".join(f"{key} {count}" for key, count in waiting.items())
        report.warnings.append(f"seamless {kind} cases of {what} this platform does not file online wait: {listed}")
    if work:
        batch = Batch(engine, policy, now, report, keep_going)
        try:
            pages = min(concurrency, len(work), limit or len(work))
            asyncio.run(_prefill_batch(batch, platform, _claimed(batch, work, me, lease_seconds, limit), pages))
        finally:
            release(engine, me)
    return report


def matters_due(engine: Engine, profile: SiteProfile, now: Clock, late_types: frozenset[str]) -> dict[str, int]:
    """The matters (forms) of the platform on which seamless cases wait to be filed on its day, with how many no
    round is at work on."""
    return due_matters(engine, profile, FILINGS, now().astimezone(PLATFORM_ZONE), late_types)


def _claimed(
    batch: Batch, work: list[dict[str, Any]], me: str, lease_seconds: float, limit: int | None
) -> Iterator[dict[str, Any]]:
    """The cases of `work` this round claims, at most `limit`, one when a page takes it: those another round took
    meanwhile are skipped (rounds on one matter share its cases out). Once the batch has stopped, the rest are
    handed on unclaimed, to be counted as left for later."""
    for case in work:
        if batch.report.cases == limit:
            return
        if batch.breaker.reason is not None or claim(batch.engine, case, me, batch.now(), lease_seconds):
            batch.report.cases += 1
            yield case


async def _prefill_batch(batch: Batch, platform: Platform, work: Iterator[dict[str, Any]], pages: int) -> None:
    """One browser for the batch and `pages` sessions in it, each taking the next case when it is done with
    one (in `work`'s order), so that while one page waits for the platform another is being filled."""
    async with chromium() as browser, AsyncExitStack() as stack:
        first = await stack.enter_async_context(PlatformSession(platform, browser))
        await batch.sign_in(first)  # once, so that the other sessions start from the cookies it saved
        others = range(pages - 1)
        sessions = [first, *[await stack.enter_async_context(PlatformSession(platform, browser)) for _ in others]]
        await asyncio.gather(*(batch.work_through(work, partial(prefill_case, batch, session)) for session in sessions))
    batch.close()


async def prefill_case(batch: Batch, session: PlatformSession, case: dict[str, Any]) -> Next:
    """File one case (or find it filed), counted in the batch's report; what the breaker learns."""
    filing = FILINGS[case["kind"]]
    values = filing.values(batch.engine, session.platform.profile, case)
    lacking = filing.missing(values)
    if lacking:  # no form can be filed without them: a person must get them, the platform is not asked
        reason = f"登记数据缺少{'、'.join(lacking)}，无法预填申请"
        park(batch.engine, case["id"], ACTOR, reason, {"missing": lacking}, batch.now())
        batch.report.count(Outcome.PARKED)
        return Next.GIVE_UP
    tried = await batch.tries(session, case["id"], partial(_prefill, session, case, values), parks=True)
    batch.report.count(_settle(batch.engine, case["id"], tried, batch.now()))
    return tried.next


async def _prefill(
    session: PlatformSession, case: dict[str, Any], values: dict[str, Any], attempt: int
) -> tuple[str, Outcome]:
    """(application number, how): found under our reference, or filed now. Only the first try of a case whose
    reference this run wrote files without searching first: any other try may follow one that filed."""
    reference = case["platform_ref"]
    existing = None if attempt == 1 and case.get("claimed") else await find_application(session, reference)
    if existing is not None:
        return existing.application_no, Outcome.FOUND
    matter = FILINGS[case["kind"]].matter(session.platform.profile, case)
    return await file_application(session, matter, values), Outcome.FILED


def _settle(engine: Engine, case_id: int, tried: Tried[tuple[str, Outcome]], at: datetime) -> Outcome:
    """Record what came of the case's tries; the outcome's name. Given up on, it is parked with the last evidence."""
    if tried.result is not None:
        number, how = tried.result
        record_prefilled(engine, case_id, number, how, at)
        return how
    failure = tried.failure
    if tried.next is Next.GIVE_UP and failure is not None:
        why = "多次尝试失败" if failure.transient else "平台拒绝"
        park(engine, case_id, ACTOR, f"{why}：{failure}", failure.evidence, at)
        return Outcome.PARKED
    return unfinished(tried)


def record_prefilled(engine: Engine, case_id: int, number: str, how: Outcome, at: datetime) -> None:
    reason = (
        f"application {number} filed on the platform"
        if how is Outcome.FILED
        else f"application {number} found on the platform under our reference (filed by an interrupted run)"
    )
    with engine.begin() as connection:
        move_case(connection, case_id, State.PREFILLED, reason, ACTOR, at, application_no=number)
