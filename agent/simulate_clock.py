"""The simulated year's virtual clock: every job, the webhooks and the sandbox platform read the time from it, so a
year of the county runs in minutes through the same code that runs the service on the wall clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from agent.runtime import Runtime


@dataclass
class VirtualClock:
    """A moment set by the simulation, never the machine's; read from the webhooks' and the platform's threads."""

    zone: ZoneInfo
    moment: datetime = field(default_factory=lambda: datetime(2027, 1, 4, tzinfo=UTC))

    def set(self, day: date, at: time) -> None:
        self.moment = datetime.combine(day, at, self.zone).astimezone(UTC)

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(self.zone).date()

    def shanghai_naive(self) -> datetime:
        """How the sandbox platform keeps time: local wall time in China, naive."""
        return self.moment.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)


@dataclass
class SimRuntime(Runtime):
    """The service's runtime with the virtual clock's today and now: the jobs take both from their runtime."""

    clock: VirtualClock = field(default_factory=lambda: VirtualClock(ZoneInfo("Asia/Shanghai")))

    def today(self) -> date:
        return self.clock.today()

    def now(self) -> datetime:  # type: ignore[override]  # the base's is the wall clock, a static method
        return self.clock.now()
