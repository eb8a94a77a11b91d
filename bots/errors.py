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


class Misfit(BotError):
    """The site profile does not fit the platform: a step's element (a label, a widget, a button, a table column) is
    not on a page that is otherwise up. Not the platform failing (no outage), not the case's fault (no parking):
    the round stops at once, and the bots stay off the platform (the login too) until a person fixes the profile
    and clears the misfit."""

    transient = False
    misfit = True

    def __init__(self, step: str, selector: str, message: str = "") -> None:
        super().__init__(f"the profile does not fit the platform at {step}: {message or 'not found'} ({selector})")
        self.step, self.selector = step, selector
        self.evidence |= {"step": step, "selector": selector}
