"""The period a subsidy case pays for, in the words the approver and the holder read."""

from __future__ import annotations

ONCE = "once"  # the period of a one-off policy (agent/policies/periods.py writes the same label)


def period_text(period: str) -> str:
    """2026 → 2026年度; a one-off policy's "once" → 一次性."""
    return "一次性" if period == ONCE else f"{period}年度"
