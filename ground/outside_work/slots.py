"""A limit on how many sessions work an outside system at once, held across processes and machines (Redis).

Each holder is a member of a sorted set, scored by the moment its lease ends; a holder renews its lease while it
works and leaves the set when it is done. A holder whose process was killed renews nothing: its lease ends and its
slot comes back by itself, so a dead worker never holds the platform's capacity for good. The moments are the Redis
server's own clock, one clock for every machine. The most holders ever seen at once is kept beside the set (a
figure for the operator, and what shows the limit held).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import redis

log = logging.getLogger(__name__)
# KEYS: the holders, the most held at once. ARGV: limit, lease (ms), holder.
TAKE = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[3])
local held = redis.call('ZCARD', KEYS[1])
if held > tonumber(redis.call('GET', KEYS[2]) or '0') then
  redis.call('SET', KEYS[2], held)
end
return 1
"""
# KEYS: the holders. ARGV: lease (ms), holder. 0 when the holder's lease had already ended (its slot was given up).
RENEW = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local until_ms = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not until_ms or tonumber(until_ms) < ms then
  return 0
end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[1]), ARGV[2])
return 1
"""


@dataclass(frozen=True)
class Slots:
    """At most `limit` holders of `name` at once, each lease `lease_seconds` long and renewed at a third of it."""

    client: redis.Redis
    name: str
    limit: int
    lease_seconds: float
    poll_seconds: float = 0.2

    @property
    def _keys(self) -> tuple[str, str]:
        return f"proactive:slots:{self.name}", f"proactive:slots:{self.name}:most"

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Wait for a slot, hold it (renewed) for the block, give it back."""
        holder = uuid.uuid4().hex
        lease_ms = int(self.lease_seconds * 1000)
        while not self.client.eval(TAKE, 2, *self._keys, self.limit, lease_ms, holder):
            await asyncio.sleep(self.poll_seconds)
        renewing = asyncio.create_task(self._renew(holder, lease_ms))
        try:
            yield
        finally:
            renewing.cancel()
            self.client.zrem(self._keys[0], holder)

    async def _renew(self, holder: str, lease_ms: int) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            if not self.client.eval(RENEW, 1, self._keys[0], lease_ms, holder):
                log.warning("slot of %s held past its lease: another session may have taken it", self.name)
                return

    def most_held(self) -> int:
        """The most holders seen at once since the figure was last cleared."""
        return int(self.client.get(self._keys[1]) or 0)


def platform_slots(url: str, base_url: str, limit: int, lease_seconds: float) -> Slots:
    """The slots of one platform (by its address), shared by every worker that files on it."""
    return Slots(redis.Redis.from_url(url), f"platform:{base_url}", limit, lease_seconds)
