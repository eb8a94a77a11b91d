"""Bot failures, each saying whether trying again can help."""

from __future__ import annotations

from typing import Any


class BotError(Exception):
    """A failure on the platform; `evidence` holds the screenshot and trace paths when they were kept."""

    transient = True

    def __init__(self, message: str, evidence: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.evidence = evidence or {}


class Transient(BotError):
    """Timeouts, server errors, an expired session: the same step may well work later."""


class SessionExpired(Transient):
    """The platform logged us out: log in again, then retry."""


class LoginRefused(BotError):
    """The platform refused the bot's account: no case can go on until a person fixes the account, and more tries
    risk locking it."""

    transient = False


class Permanent(BotError):
    """The platform refused the data (validation): repeating it would be refused again. A person must look."""

    transient = False
