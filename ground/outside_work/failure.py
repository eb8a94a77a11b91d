"""The one error an outside call raises: it says whether trying again can help, and what a person would need to
see. The runner reads these attributes and nothing else; the edges' own errors (bots.errors, SendError) set them."""

from __future__ import annotations

from typing import Any


class OutsideFailure(Exception):
    """A call to an outside system failed."""

    transient = True  # the same call may well work later; otherwise it would be refused again: a person must look
    uncertain = False  # it may have taken effect all the same: ask the system (reconcile), never repeat it blindly
    refuses_us = False  # the system refuses our account, not this item: no item can go on, the batch stops
    # Our description of the system does not fit it (a changed page, a wrong profile): no item can go on and no
    # retry can help until a person fixes the description; neither the item's fault nor the system's outage.
    misfit = False
    wait_first = True  # a retry waits out the back-off; not when the remedy is at hand (log in again)

    def __init__(self, message: str, evidence: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.evidence = evidence or {}  # what shows why: screenshot and trace paths, the provider's error
