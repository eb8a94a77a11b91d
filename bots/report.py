"""What a bot's batch reports: its cases, what came of each, and why it stopped early if it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ground.outside_work.attempts import Attempt


class Outcome(StrEnum):
    """What came of one case in a bot's batch."""

    FILED = "filed"  # the bot filed the application now
    FOUND = "found"  # already on the platform under our reference (an interrupted run filed it)
    APPROVED = "approved"  # the approver's confirmation, read back
    RETURNED = "returned"  # the approver's return, read back
    PENDING = "pending"  # still waiting for the approver
    MISSING = "missing"  # the application is no longer on the platform
    PARKED = "parked"  # given up on: waits for the operator with its evidence
    TRANSIENT = Attempt.TRANSIENT.value  # failed for now: the next round tries again
    PERMANENT = Attempt.PERMANENT.value
    REFUSED = Attempt.REFUSED.value  # the platform refused the bot's account: no verdict on the case
    MISFIT = Attempt.MISFIT.value  # the site profile did not fit the platform: no verdict on the case


DONE = frozenset({Outcome.FILED, Outcome.FOUND, Outcome.APPROVED, Outcome.RETURNED})


@dataclass
class BotReport:
    bot: str
    cases: int = 0
    done: int = 0
    found_existing: int = 0
    parked: int = 0
    left_for_later: int = 0
    stopped_early: bool = False  # the breaker opened, a login was refused, or hours ended: see warnings
    login_refused: bool = False  # the platform refused the bot's account: nothing more should try it this round
    misfit: bool = False  # the profile does not fit the platform: nothing more tries it until a person clears it
    outcomes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome.value] = self.outcomes.get(outcome.value, 0) + 1
        if outcome in DONE:
            self.done += 1
            self.found_existing += outcome is Outcome.FOUND
        elif outcome is Outcome.PARKED:
            self.parked += 1
        elif outcome is not Outcome.PENDING:
            self.left_for_later += 1
