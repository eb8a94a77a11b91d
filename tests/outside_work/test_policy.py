"""What follows a failed try: the back-off schedule, and the verdict for each kind of failure."""

from __future__ import annotations

import pytest

from ground.outside_work.failure import OutsideFailure
from ground.outside_work.policy import Next, RetryPolicy, judge


class Refused(OutsideFailure):
    transient = False


class AccountRefused(OutsideFailure):
    transient = False
    refuses_us = True


class Unanswered(OutsideFailure):
    uncertain = True


POLICY = RetryPolicy(max_attempts=3, backoff_seconds=2.0, breaker_threshold=3, park_after=5)


@pytest.mark.parametrize(
    ("backoff_seconds", "failures", "wait"),
    [
        (2.0, 1, 2.0),  # the first failure waits the configured back-off
        (2.0, 2, 4.0),  # each further one doubles it
        (2.0, 5, 32.0),
        (30.0, 3, 120.0),  # the SMS default: a message's third failure waits two minutes
        (0.0, 4, 0.0),  # a test's policy: no waiting at all
    ],
)
def test_the_back_off_doubles_after_each_failure(backoff_seconds: float, failures: int, wait: float) -> None:
    assert RetryPolicy(backoff_seconds=backoff_seconds).backoff(failures) == wait


@pytest.mark.parametrize(
    ("failure", "attempt", "failures", "verdict"),
    [
        (OutsideFailure("timeout"), 1, 1, Next.RETRY),  # a transient failure with tries left in this run
        (OutsideFailure("timeout"), 3, 1, Next.LATER),  # this run's tries are spent: the next run tries again
        (OutsideFailure("timeout"), 1, 5, Next.GIVE_UP),  # the park_after-th failure in all: a person must look
        (OutsideFailure("timeout"), 1, None, Next.RETRY),  # a step that never gives up on a count
        (OutsideFailure("timeout"), 3, None, Next.LATER),
        (Refused("validation"), 1, 0, Next.GIVE_UP),  # refused data: at once, whatever the count
        (Refused("validation"), 1, None, Next.GIVE_UP),  # also for a step that never gives up on a count
        (AccountRefused("login"), 1, 0, Next.STOP),  # our account refused: no verdict on the item, the batch stops
        (Unanswered("no answer"), 1, 9, Next.LATER),  # it may have happened: reconcile, never give up or repeat
        (Unanswered("no answer"), 3, 0, Next.LATER),
    ],
)
def test_each_failure_is_judged_by_what_it_says_about_retrying(
    failure: OutsideFailure, attempt: int, failures: int | None, verdict: Next
) -> None:
    counted = None if failures is None else (lambda: failures)
    assert judge(POLICY, failure, attempt, counted) is verdict


def test_the_failures_are_not_counted_when_the_verdict_does_not_depend_on_them() -> None:
    def counted() -> int:
        raise AssertionError("the store was read for a failure that gives up whatever the count")

    assert judge(POLICY, Refused("validation"), 1, counted) is Next.GIVE_UP
    assert judge(POLICY, Unanswered("no answer"), 1, counted) is Next.LATER
