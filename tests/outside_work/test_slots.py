"""The platform's session limit across processes (Redis): never more holders at once than the limit, however many
processes ask, and a killed holder's slot comes back once its lease ends, while a living holder keeps its own."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
import redis

from ground.outside_work.slots import Slots
from tests.conftest import patient

# Each process holds a slot `holds` times; inside, it counts itself in (INCR) and notes how many were in, then out.
HOLDER = """
import asyncio, sys, redis
from ground.outside_work.slots import Slots
url, name, limit, lease, holds, count, seconds = sys.argv[1:8]
client = redis.Redis.from_url(url)
slots = Slots(client, name, int(limit), float(lease), poll_seconds=0.01)

async def hold_once():
    async with slots.held():
        client.rpush(count + ":seen", client.incr(count))
        print("held", flush=True)
        await asyncio.sleep(float(seconds))
        client.decr(count)

async def main():
    for _ in range(int(holds)):
        await hold_once()

asyncio.run(main())
"""


@pytest.fixture
def name(redis_url: str) -> Iterator[str]:
    """A name of this test's own (parallel runs share the server); its keys are removed afterwards."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(redis_url)
    client.delete(*client.keys(f"*{name}*"))


def holder(
    redis_url: str, name: str, limit: int, lease: float, holds: int, seconds: float = 0.02
) -> subprocess.Popen[str]:
    """A process holding a slot `holds` times, `seconds` each time."""
    args = [redis_url, name, str(limit), str(lease), str(holds), f"proactive:test:{name}:in", str(seconds)]
    return subprocess.Popen([sys.executable, "-c", HOLDER, *args], stdout=subprocess.PIPE, text=True)


def test_five_processes_never_hold_more_slots_at_once_than_the_limit(redis_url: str, name: str) -> None:
    processes = [holder(redis_url, name, 2, 30, 15) for _ in range(5)]
    for process in processes:
        assert process.wait(timeout=patient(60)) == 0

    client = redis.Redis.from_url(redis_url)
    seen = [int(count) for count in client.lrange(f"proactive:test:{name}:in:seen", 0, -1)]
    assert len(seen) == 75
    assert max(seen) == 2, "the processes counted themselves in: two at once at most, and the limit was used"
    assert Slots(client, name, 2, 30).most_held() == 2


def test_a_killed_holders_slot_comes_back_when_its_lease_ends_not_before(redis_url: str, name: str) -> None:
    lease = 1.0
    slots = Slots(redis.Redis.from_url(redis_url), name, 1, lease, poll_seconds=0.05)
    stuck = holder(redis_url, name, 1, lease, 1, seconds=3600)  # holds its slot, renewing it, until killed
    assert stuck.stdout is not None and stuck.stdout.readline().strip() == "held"

    async def take(within: float) -> bool:
        try:
            async with asyncio.timeout(within):
                async with slots.held():
                    return True
        except TimeoutError:
            return False

    kept = asyncio.run(take(3 * lease))  # three leases long: the living holder renews its own
    stuck.send_signal(signal.SIGKILL)
    stuck.wait()
    came_back = asyncio.run(take(patient(10)))

    assert not kept, "a living holder keeps its slot past its first lease"
    assert came_back, "the killed holder's slot is free once its lease ended"
