"""Bot failures, each saying whether trying again can help (`OutsideFailure`'s attributes, read by the runner)."""

from __future__ import annotations

from ground.outside_work.failure import OutsideFailure


class BotError(OutsideFailure):
    """A failure on the platform; `evidence` holds the screenshot and trace paths when they were kept."""


class Transient(BotError):
    """Timeouts, server errors, an expired session: the same step may well work later."""


class SessionExpired(Transient):
    """The platform logged us out: log in again, then retry (at once: waiting would not help)."""

    wait_first = False


class LoginRefused(BotError):
    """The platform refused the bot's account: no case can go on until a person fixes the account, and more tries
    risk locking it."""

    transient = False
    refuses_us = True


class Permanent(BotError):
    """The platform refused the data (validation): repeating it would be refused again. A person must look."""

    transient = False
