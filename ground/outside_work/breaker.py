"""When a batch of work on an outside system stops before its end."""

from __future__ import annotations

from collections.abc import Callable

from ground.outside_work.policy import Next


def always() -> bool:
    return True


class Breaker:
    """Stops a batch: after `threshold` items in a row failed transiently across the batch's workers (the system
    looks down), at once when the system refuses our account (`refused`), or when `keep_going` says the batch must
    end (`stopped`). Once open it stays open for the batch; the next run starts with a closed one."""

    def __init__(
        self,
        threshold: int,
        keep_going: Callable[[], bool] = always,
        *,
        system: str = "the outside system",
        stopped: str = "asked to stop",
        refused: str = "the outside system refused our account",
    ) -> None:
        self.threshold, self._keep_going = threshold, keep_going
        self.system, self.stopped, self.refused = system, stopped, refused
        self.in_a_row: list[int] = []  # the items of the current run of transient failures
        self.outage: list[int] = []  # the items whose failures opened the breaker, and those failing after
        self.reason: str | None = None  # set when open

    def record(self, key: int, verdict: Next | None) -> None:
        """What came of item `key`: a transient failure (left for later) counts; anything else the system answered
        (done, given up) breaks the run of failures; None, an item the system was never asked about, tells nothing."""
        if verdict is Next.STOP:
            self.trip(self.refused)
        elif verdict is not None:
            self._count(key, failed=verdict is Next.LATER)

    def _count(self, key: int, failed: bool) -> None:
        if self.reason is not None:  # items other workers had in hand when it opened
            self.outage += [key] if failed and self.outage else []
            return
        self.in_a_row = [*self.in_a_row, key] if failed else []
        if len(self.in_a_row) >= self.threshold:
            self.reason = f"{self.system} looks down: {len(self.in_a_row)} in a row failed"
            self.outage = list(self.in_a_row)

    def trip(self, reason: str) -> None:
        self.reason = self.reason or reason

    @property
    def refused_us(self) -> bool:
        return self.reason == self.refused

    @property
    def open(self) -> bool:
        if self.reason is None and not self._keep_going():
            self.reason = self.stopped
        return self.reason is not None
