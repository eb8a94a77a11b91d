"""The step runner: an item's tries at an outside system, and a batch's walk over its items. It alone decides what
follows a try (`policy.judge`); the edges give it the call (which records its own attempt) and act on the verdict.

Not tenacity, though it is the usual retry library and has an asyncio loop: what it does well is the part this
module does in a few lines (up to N tries, a doubling wait). The rest does not fit its model: whether a failure
gives up depends on failures counted in the store over earlier runs, since a person last released the item; the
SMS back-off is not slept but persisted as the message's due time, so that a crash cannot shorten it; a failure
that refuses our account must end the whole batch, not the item; and the breaker counts items in a row across
concurrent workers. With tenacity each of these would be a stop or wait callback with side effects, steered by
exceptions raised through it, around the same one schedule (`RetryPolicy.backoff`) that both edges share here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from ground.outside_work.breaker import Breaker
from ground.outside_work.failure import OutsideFailure
from ground.outside_work.policy import Next, RetryPolicy, judge

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Tried(Generic[Result]):
    """What came of an item's tries in this run: `result` when DONE, the last `failure` otherwise."""

    next: Next
    result: Result | None = None
    failure: OutsideFailure | None = None


async def tries(
    call: Callable[[int], Awaitable[Result]],
    policy: RetryPolicy,
    failures: Callable[[], int] | None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Tried[Result]:
    """`call` (given the try's number in this run, from 1) until it goes through or the verdict is other than
    RETRY, waiting the back-off before each retry. `failures` as in `judge`."""
    attempt = 1
    while True:
        try:
            return Tried(Next.DONE, result=await call(attempt))
        except OutsideFailure as failure:
            verdict = judge(policy, failure, attempt, failures)
            if verdict is not Next.RETRY:
                return Tried(verdict, failure=failure)
            if failure.wait_first:
                await sleep(policy.backoff(attempt))
        attempt += 1


async def work_through(
    items: Iterator[Item],
    breaker: Breaker,
    key: Callable[[Item], int],
    work: Callable[[Item], Awaitable[Next | None]],
) -> int:
    """Work the items one at a time until the breaker opens; how many were left for the next run. `work` returns
    what the breaker should learn (`Breaker.record`). Workers that share one iterator each take the next item when
    done with one, so that while one waits on the outside system another is at work."""
    left = 0
    for item in items:
        if breaker.open:
            left += 1
            continue
        breaker.record(key(item), await work(item))
    return left
