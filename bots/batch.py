"""A bot's batch of cases on the platform, as the step runner works it: the breaker, the sign-in before the cases,
each case's tries recorded and traced, and what the batch says when it stops early."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from playwright.async_api import Error as PlaywrightError
from sqlalchemy import Engine

from bots import misfits
from bots.errors import BotError, LoginRefused, Misfit, SessionExpired
from bots.report import BotReport, Outcome
from bots.session import PlatformSession
from ground.outside_work import attempts
from ground.outside_work.breaker import Breaker
from ground.outside_work.policy import Next, RetryPolicy
from ground.outside_work.runner import Tried, tries, work_through

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Result = TypeVar("Result")
REFUSED_LOGIN = "the platform refused the bot's login: check the bot account before the next round"
UNFINISHED = {Next.LATER: Outcome.TRANSIENT, Next.GIVE_UP: Outcome.PERMANENT, Next.STOP: Outcome.REFUSED}


def unfinished(tried: Tried[Any]) -> Outcome:
    """The outcome of tries that did not go through and were not given up on."""
    if tried.failure is not None and tried.failure.misfit:
        return Outcome.MISFIT
    return UNFINISHED[tried.next]


def at_work(session: PlatformSession) -> AbstractAsyncContextManager[None]:
    """While a session works on the platform: holding one of the platform's slots, if they are shared."""
    slots = session.platform.slots
    return nullcontext() if slots is None else slots.held()


@dataclass
class Batch:
    """What every case of one bot's batch is worked with; `started` bounds the attempts an outage may excuse."""

    engine: Engine
    policy: RetryPolicy
    now: Clock
    report: BotReport
    keep_going: Callable[[], bool]
    breaker: Breaker = field(init=False)
    started: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.now()
        self.breaker = Breaker(
            self.policy.breaker_threshold,
            self.keep_going,
            system="the platform",
            stopped="the platform's hours ended or the service is stopping",
            refused=REFUSED_LOGIN,
        )

    async def work_through(
        self, cases: Iterator[dict[str, Any]], work: Callable[[dict[str, Any]], Awaitable[Next]]
    ) -> None:
        left = await work_through(cases, self.breaker, lambda case: case["id"], work)
        self.report.left_for_later += left  # after the await, not `+=` across it: the cases are counted meanwhile

    async def tries(
        self,
        session: PlatformSession,
        case_id: int,
        step: Callable[[int], Awaitable[Result]],
        parks: bool,
    ) -> Tried[Result]:
        """The case's tries at `step` in this run. With `parks`, its transient failures since its last release
        count towards giving up on it; without, only a refusal does (and the caller decides what follows)."""
        bot = self.report.bot
        counted = partial(attempts.counted_failures, self.engine, case_id, bot) if parks else None
        return await tries(partial(self._try, session, case_id, step), self.policy, counted)

    async def _try(
        self, session: PlatformSession, case_id: int, step: Callable[[int], Awaitable[Result]], attempt: int
    ) -> Result:
        """One try at a case, recorded and traced (a first try only if the platform says so); a failure is logged and
        handed to the runner."""
        bot = self.report.bot
        try:
            async with (
                at_work(session),
                attempts.recorded(self.engine, case_id, bot, self.now) as attempt_id,
            ):
                await session.ensure_logged_in()  # outside the trace: the password never lands in a file
                traced = attempt > 1 or session.platform.trace_first_try
                async with session.attempt(f"case-{case_id}-{bot}-{attempt_id}", traced):
                    return await step(attempt)
        except LoginRefused as exc:
            log.error("case %s %s: %s", case_id, bot, exc)
            raise
        except Misfit as exc:
            await self.misfit(session, exc, case_id)
            raise
        except BotError as exc:
            log.warning("case %s %s attempt %s: %s", case_id, bot, attempt, " ".join(str(exc).split()))
            if isinstance(exc, SessionExpired):
                session.session_expired()  # log in again before the next try, outside its trace
            raise

    async def sign_in(self, session: PlatformSession) -> bool:
        """Log in before the cases; a refused login opens the breaker (no case is tried), another failure is left
        for each case's tries to meet again. Whether the session is signed in."""
        try:
            async with at_work(session):
                await session.ensure_logged_in()
            return True
        except LoginRefused as exc:
            self.breaker.trip(REFUSED_LOGIN)
            log.error("%s", exc)
        except Misfit as exc:
            await self.misfit(session, exc, None)
        except (BotError, PlaywrightError) as exc:
            log.warning("could not sign in before the cases (%s): each case tries again", exc)
        return False

    async def misfit(self, session: PlatformSession, misfit: Misfit, case_id: int | None) -> None:
        """The profile does not fit: the batch stops now, the misfit is kept for a person, no case is blamed."""
        if "screenshot" not in misfit.evidence:
            misfit.evidence |= await session.screenshot(f"misfit-{self.report.bot}")
        log.error("case %s %s: %s", case_id, self.report.bot, misfit)
        kept = misfits.keep(session.platform, misfit, self.report.bot, case_id, self.now())
        self.breaker.trip(misfits.why(kept))
        self.report.misfit = True

    def close(self) -> None:
        """Say why the batch stopped early, if it did; failures that opened the breaker were the platform's, not
        the cases': they are recorded as an outage, which does not count towards parking a case."""
        breaker, report = self.breaker, self.report
        if breaker.reason is None:
            return
        report.stopped_early = True
        report.warnings.append(f"{breaker.reason}; {report.left_for_later} cases wait for the next round")
        report.login_refused = breaker.refused_us
        if breaker.outage:
            attempts.mark_outage(self.engine, report.bot, breaker.outage, self.started)
