"""An item's tries: retried with a doubling wait while a retry can help, given up on after too many failures or at
once when refused, left for the next run when this run's tries are spent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from ground.outside_work.failure import OutsideFailure
from ground.outside_work.policy import Next, RetryPolicy
from ground.outside_work.runner import Tried, tries


class Refused(OutsideFailure):
    transient = False


class LoggedOut(OutsideFailure):
    wait_first = False


class Outside:
    """A scripted outside system: each call raises the next failure of the script, or answers once it is spent.
    Every transient failure is counted, as the store counts them over runs (`earlier` from runs before)."""

    def __init__(self, *script: OutsideFailure, earlier: int = 0) -> None:
        self.script, self.failures, self.attempts = list(script), earlier, list[int]()
        self.waits: list[float] = []

    async def call(self, attempt: int) -> str:
        self.attempts.append(attempt)
        if self.script:
            failure = self.script.pop(0)
            self.failures += failure.transient
            raise failure
        return "application 0001"

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    def run(self, policy: RetryPolicy, counted: bool = True) -> Tried[str]:
        failures: Callable[[], int] | None = (lambda: self.failures) if counted else None
        return asyncio.run(tries(self.call, policy, failures, self.sleep))


POLICY = RetryPolicy(max_attempts=4, backoff_seconds=2.0, breaker_threshold=3, park_after=9)


def test_it_retries_transient_failures_waiting_twice_as_long_each_time() -> None:
    outside = Outside(OutsideFailure("timeout"), OutsideFailure("HTTP 503"), OutsideFailure("timeout"))

    tried = outside.run(POLICY)

    assert tried == Tried(Next.DONE, result="application 0001")
    assert outside.attempts == [1, 2, 3, 4] and outside.waits == [2.0, 4.0, 8.0]


def test_it_leaves_the_item_for_the_next_run_when_this_run_s_tries_are_spent() -> None:
    last = OutsideFailure("timeout 4")
    outside = Outside(*[OutsideFailure(f"timeout {n}") for n in (1, 2, 3)], last, OutsideFailure("not reached"))

    tried = outside.run(POLICY)

    assert tried.next is Next.LATER and tried.failure is last
    assert outside.attempts == [1, 2, 3, 4] and outside.waits == [2.0, 4.0, 8.0], "no wait after the last try"


def test_it_gives_up_after_park_after_transient_failures_counted_over_runs() -> None:
    fatal = OutsideFailure("timeout 2")
    outside = Outside(OutsideFailure("timeout 1"), fatal, OutsideFailure("not reached"), earlier=7)

    tried = outside.run(POLICY)

    assert tried.next is Next.GIVE_UP and tried.failure is fatal, "the ninth failure in all gives up"
    assert outside.attempts == [1, 2] and outside.waits == [2.0]


def test_a_refusal_gives_up_at_once_without_waiting() -> None:
    refusal = Refused("统一社会信用代码校验不通过", evidence={"screenshot": "case-7-prefill-1.png"})
    outside = Outside(refusal)

    tried = outside.run(POLICY)

    assert tried.next is Next.GIVE_UP and tried.failure is refusal
    assert tried.failure.evidence == {"screenshot": "case-7-prefill-1.png"}, "the evidence reaches the caller"
    assert outside.attempts == [1] and outside.waits == []


def test_a_step_that_never_gives_up_on_a_count_keeps_trying_in_later_runs() -> None:
    outside = Outside(*[OutsideFailure("timeout")] * 4, earlier=100)

    assert outside.run(POLICY, counted=False).next is Next.LATER


def test_a_failure_whose_remedy_is_at_hand_is_retried_without_waiting() -> None:
    outside = Outside(LoggedOut("session expired"), OutsideFailure("timeout"))

    assert outside.run(POLICY).next is Next.DONE
    assert outside.waits == [4.0], "no wait after the expired session; the second try's failure waits its turn"


def test_an_error_that_is_no_outside_failure_is_no_verdict_and_goes_up() -> None:
    async def broken(attempt: int) -> str:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        asyncio.run(tries(broken, POLICY, None))
