"""What every SMS sender does, and the one error it raises: the caller, not the sender, decides what happens next
(retry later, fall back to a letter, record an opt-out)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from ground.outside_work.failure import OutsideFailure


@dataclass(frozen=True)
class Accepted:
    """The provider took the message: its id and the status it reported."""

    sid: str
    status: str


class SendError(OutsideFailure):
    """The provider refused or could not be reached. `permanent`: sending again cannot help. `uncertain`: the
    message may have been created anyway (a timeout after the request left, a 5xx or an unreadable answer), so
    reconcile before repeating. Only an answer that proves refusal (a 4xx) is neither."""

    def __init__(self, message: str, *, permanent: bool, code: str | None = None, uncertain: bool = False) -> None:
        super().__init__(message)
        self.transient = not permanent
        self.code = code
        self.uncertain = uncertain

    @property
    def permanent(self) -> bool:
        return not self.transient


class Sender(ABC):
    name: str

    @abstractmethod
    def send(self, to: str, body: str, reference: int) -> Accepted:
        """Hand one message to the provider. `reference` is the outbox id (status callbacks carry it back)."""

    @abstractmethod
    def find(self, to: str, body: str, since: datetime) -> Accepted | None:
        """A message with this recipient and body the provider created since `since`, if any: how a send that
        may have happened before a crash is found before anything is sent again."""
