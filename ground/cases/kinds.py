"""What a case is about (its kind) and which way it goes (its route): the values stored on every case."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    RENEWAL = "renewal"  # one licence term: natural key licence + expiry
    SUBSIDY = "subsidy"  # one subject, policy and period: matched, never applied for (免申即享)


class Route(StrEnum):
    SEAMLESS = "seamless"  # pre-fill on the platform; an approver confirms
    ASSISTED = "assisted"  # one notice listing what is needed; staff help
    REMIND = "remind"  # reminders before expiry
    NONE = "none"  # no renewal: the licence or its holder is gone
