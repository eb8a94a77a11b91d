"""What an assisted renewal on an officer's worklist needs, and the last day it can be filed, as the CLI and the
console both show it. A renewal whose last filing day has passed needs no materials: it can no longer be renewed,
and the officer's task is to tell the holder to apply for a new licence once it expires."""

from __future__ import annotations

from datetime import date
from typing import Any

from agent.runtime import Runtime
from domain.renewals.law import last_filing_day


def needed(rt: Runtime, row: dict[str, Any]) -> str:
    """What the case waits for: the approver's reason to supply, every material still to come at once, or, past
    the last filing day, that it cannot be renewed."""
    if row["state"] == "returned":
        return f"退回原因：{row['return_reason'] or '（见平台）'}"
    kind = rt.licence_types.get(row["licence_type"])
    if kind is None:
        return "（许可类别未配置）"
    last = apply_by(rt, row)
    if last is not None and last < rt.today():
        return f"已过延续申请期限（{last}），不能再延续：告知持证人到期（{row['expires_on']}）后须重新申请许可"
    missing = rt.notifier.materials.missing(kind.materials, row["reasons"])
    received = (row["materials_received"] or {}).get("items", [])
    return "；".join([f"待补：{'、'.join(missing)}", *([f"已收：{'、'.join(received)}"] if received else [])])


def apply_by(rt: Runtime, row: dict[str, Any]) -> date | None:
    """The last day the renewal may be filed (None: a licence type not configured)."""
    kind = rt.licence_types.get(row["licence_type"])
    return None if kind is None else last_filing_day(row["window_closes_on"], row["expires_on"], kind.after_window.rule)
