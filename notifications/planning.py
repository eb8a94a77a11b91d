"""Which notices are due, as pure functions of the cases: the event each case's state calls for, its natural key,
and the values its templates receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.yaml_files import load_yaml_model
from notifications.events import Event

MATERIALS_FILE = Path(__file__).resolve().parent / "materials.yaml"
# Cases a reminder still concerns: not filed by the bot (or filing failed), and not given up.
REMINDED_STATES = frozenset({"returned", "parked"})
REMINDED_ROUTES = frozenset({"assisted", "remind"})


@dataclass(frozen=True)
class Due:
    case_id: int
    event: Event
    key: str  # the natural key: one notice per case, event (and reminder mark), ever
    context: dict[str, Any]


def due_events(case: dict[str, Any], today: date, working_days_left: int, marks: list[int]) -> list[tuple[Event, str]]:
    """The notices a case calls for today, each with the suffix of its natural key."""
    state, route = case["state"], case["route"]
    if state == "prefilled" and route == "seamless":
        return [(Event.SEAMLESS_STARTED, "")]
    if state == "approved":
        return [(Event.RENEWED, "")]
    if state == "returned":
        return [(Event.RETURNED, "")]
    if not (state in REMINDED_STATES or (state == "routed" and route in REMINDED_ROUTES)):
        return []
    if case["expires_on"] < today:
        return [(Event.LAPSED, "")]
    found, marks_left = [], sorted(marks)
    if state == "routed" and route == "assisted":  # the request for materials stands for the first reminder
        found, marks_left = [(Event.SUPPLY_MATERIALS, "")], marks_left[:-1]
    reached = [mark for mark in marks_left if working_days_left <= mark]
    if reached:  # only the latest mark passed: a holder is not sent a backlog of reminders at once
        found.append((Event.EXPIRY_REMINDER, f":{min(reached)}"))
    return found


def subsidy_due_events(case: dict[str, Any]) -> list[tuple[Event, str]]:
    """A subsidy's holder is told once, when it has been paid. Before that there is nothing to tell: nobody applied
    and nothing is asked of them; a return is for the department and the policy officer to settle."""
    return [(Event.SUBSIDY_GRANTED, "")] if case["state"] == "paid" else []


def natural_key(case_id: int, event: Event, suffix: str) -> str:
    return f"case:{case_id}:{event.value}{suffix}"


class Materials(BaseModel):
    """`materials.yaml`: what an assisted holder supplies, in common and per factor that lowered the score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    always: list[str] = Field(min_length=1)
    factors: dict[str, list[str]]

    def missing(self, reasons: dict[str, Any] | None) -> list[str]:
        """Everything an assisted case must supply, asked for at once."""
        factors = [f["factor"] for f in (reasons or {}).get("factors", []) if f.get("effect", 0) < 0]
        if str((reasons or {}).get("rule") or "").startswith("无有效联系手机"):
            factors.append("contact")
        items = list(self.always)
        for factor in factors:
            items.extend(item for item in self.factors.get(factor, []) if item not in items)
        return items


def load_materials(path: Path = MATERIALS_FILE) -> Materials:
    return load_yaml_model(path, Materials)
