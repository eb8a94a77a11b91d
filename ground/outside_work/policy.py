"""How often an item is tried, how long the runner waits between tries, and when it gives up: pure decisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ground.outside_work.failure import OutsideFailure


class Next(StrEnum):
    """What follows a try."""

    DONE = "done"  # the call went through
    RETRY = "retry"  # try again in this run, after the back-off
    LATER = "later"  # leave it for the next run: this run's tries are spent, or it must be reconciled first
    GIVE_UP = "give up"  # no retry can help, or it failed too often: the caller parks it (or falls back)
    STOP = "stop"  # the system refuses us, or our description misfits it: leave the item untouched, stop the batch


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3  # tries of one item in one run
    backoff_seconds: float = 2.0  # the wait after an item's first transient failure, doubled after each further one
    breaker_threshold: int = 3  # this many items in a row failing transiently: the system looks down, stop
    park_after: int = 9  # transient failures of one item, over all runs, before a person must look

    def backoff(self, failures: int) -> float:
        """The wait after an item's `failures`-th transient failure."""
        return self.backoff_seconds * 2.0 ** (failures - 1)


def judge(policy: RetryPolicy, failure: OutsideFailure, attempt: int, failures: Callable[[], int] | None) -> Next:
    """What follows the failed `attempt`-th try of this run. `failures` counts the item's transient failures towards
    giving up, this one included (asked only when it matters: it may read the store); None for a step that never
    gives up on a count (one that only reads, and can always be read again later)."""
    if failure.uncertain:
        return Next.LATER
    if failure.refuses_us or failure.misfit:
        return Next.STOP
    if not failure.transient or (failures is not None and failures() >= policy.park_after):
        return Next.GIVE_UP
    return Next.RETRY if attempt < policy.max_attempts else Next.LATER
