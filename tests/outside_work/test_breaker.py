"""When a batch stops: the outside system looks down (items failing in a row), refuses our account, or the batch
must end; and the walk over a batch that stops with it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping

from ground.outside_work.breaker import Breaker
from ground.outside_work.policy import Next
from ground.outside_work.runner import work_through


def walk(breaker: Breaker, verdicts: Mapping[int, Next | None]) -> tuple[list[int], int]:
    """Work items 1..n through `breaker`, item n meeting verdicts[n]: (the items worked, how many were left)."""
    worked: list[int] = []

    async def work(item: int) -> Next | None:
        worked.append(item)
        return verdicts[item]

    left = asyncio.run(work_through(iter(sorted(verdicts)), breaker, lambda item: item, work))
    return worked, left


def test_it_opens_after_threshold_items_in_a_row_fail_and_leaves_the_rest() -> None:
    breaker = Breaker(3, system="the platform")

    worked, left = walk(breaker, {1: Next.DONE, 2: Next.LATER, 3: Next.LATER, 4: Next.LATER, 5: Next.DONE, 6: None})

    assert worked == [1, 2, 3, 4] and left == 2
    assert breaker.open and breaker.reason == "the platform looks down: 3 in a row failed"
    assert breaker.outage == [2, 3, 4], "their failures were the system's, not the items'"


def test_an_answer_between_failures_keeps_it_closed() -> None:
    verdicts = {
        1: Next.LATER,
        2: Next.LATER,
        3: Next.DONE,
        4: Next.LATER,
        5: Next.LATER,
        6: Next.GIVE_UP,
        7: Next.LATER,
    }
    breaker = Breaker(3)

    worked, left = walk(breaker, verdicts)

    assert worked == list(verdicts) and left == 0
    assert not breaker.open and breaker.in_a_row == [7]


def test_an_item_the_system_was_never_asked_about_tells_nothing() -> None:
    breaker = Breaker(2)

    worked, left = walk(breaker, {1: Next.LATER, 2: None, 3: Next.LATER, 4: Next.DONE})

    assert worked == [1, 2, 3] and left == 1 and breaker.outage == [1, 3]


def test_a_refused_account_opens_it_at_once() -> None:
    breaker = Breaker(3, refused="the platform refused the bot's login")

    worked, left = walk(breaker, {1: Next.DONE, 2: Next.STOP, 3: Next.DONE})

    assert worked == [1, 2] and left == 1
    assert breaker.refused_us and breaker.outage == []


def test_it_opens_when_the_batch_must_end_before_the_next_item() -> None:
    answers = iter([True, True, False])
    breaker = Breaker(3, lambda: next(answers), stopped="stopped on request")

    worked, left = walk(breaker, {1: Next.LATER, 2: Next.LATER, 3: Next.LATER, 4: Next.LATER})

    assert worked == [1, 2] and left == 2
    assert breaker.reason == "stopped on request" and not breaker.refused_us and breaker.outage == []


def test_failures_after_it_opened_are_the_outage_s_whatever_succeeds_meanwhile() -> None:
    breaker = Breaker(3)
    for item in (1, 2, 3):
        breaker.record(item, Next.LATER)
    breaker.record(4, Next.DONE)  # a worker that had its item in hand gets through
    breaker.record(5, Next.LATER)

    assert breaker.open and breaker.outage == [1, 2, 3, 5]


def test_a_new_batch_starts_closed() -> None:
    opened = Breaker(1)
    opened.record(1, Next.LATER)

    assert opened.open and not Breaker(1).open


def test_workers_sharing_the_items_work_each_once() -> None:
    breaker, worked = Breaker(3), list[int]()

    async def work(item: int) -> Next:
        worked.append(item)
        await asyncio.sleep(0)  # waits on the outside system: the other worker takes the next item
        return Next.DONE

    async def two_workers(items: Iterator[int]) -> list[int]:
        return list(await asyncio.gather(*(work_through(items, breaker, lambda i: i, work) for _ in range(2))))

    assert asyncio.run(two_workers(iter(range(1, 8)))) == [0, 0]
    assert sorted(worked) == list(range(1, 8))
