"""What a bot's batch reports: its cases, what came of each, and why it stopped early if it did."""

from __future__ import annotations

from dataclasses import dataclass, field

DONE = frozenset({"filed", "found", "approved", "returned"})


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
    outcomes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if outcome in DONE:
            self.done += 1
            self.found_existing += outcome == "found"
        elif outcome == "parked":
            self.parked += 1
        elif outcome != "pending":
            self.left_for_later += 1
