"""Which notices are due, as pure functions of the cases: the event each case's state calls for, its natural key,
and the values its templates receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ground.cases.kinds import Route
from ground.cases.lifecycle import State
from ground.events import Event
from ground.yaml_files import load_yaml_model

MATERIALS_FILE = Path(__file__).resolve().parent / "materials.yaml"
# Cases a reminder still concerns, when they are not filed: a person works on them, or the holder has to.
REMINDED_STATES = frozenset({State.PARKED})
REMINDED_ROUTES = frozenset({Route.ASSISTED, Route.REMIND})


@dataclass(frozen=True)
class Due:
    case_id: int
    event: Event
    key: str  # the natural key: one notice per case, event (and reminder mark), ever
    context: dict[str, Any]


# A case in one of these states is told this, once (a seamless filing only: an assisted one is staff's).
ONE_NOTICE = {State.LAPSED: Event.LAPSED, State.RETURNED: Event.RETURNED, State.PREFILLED: Event.SEAMLESS_STARTED}


def due_events(case: dict[str, Any], today: date, marks: list[int]) -> list[tuple[Event, str]]:
    """The notices a renewal case calls for today, each with the suffix of its natural key.

    `case` carries, besides its columns: `window` (domain.renewals.law.Window today), `working_days_to_expiry`
    and `supply_deadline` (a later working day than today by which an assisted holder can still supply what is
    needed, or None when no such day is left before the window closes).
    """
    state, route = case["state"], case["route"]
    if state in ONE_NOTICE and (state != State.PREFILLED or route == Route.SEAMLESS):
        return [(ONE_NOTICE[state], "")]
    if state == State.DONE:  # renewed in our records: its new term is on the case
        return [(Event.RENEWED, "")] if case["new_expires_on"] is not None else []
    if state == State.AWAITING_CONSENT and today <= case["consent_deadline"]:
        return [(Event.CONSENT_REQUEST, "")] if case["window"] != "closed" else []
    reminded = state in REMINDED_STATES or (state == State.ROUTED and route in REMINDED_ROUTES)
    return _reminders(case, marks) if reminded or state == State.AWAITING_CONSENT else []


def _reminders(case: dict[str, Any], marks: list[int]) -> list[tuple[Event, str]]:
    """A holder who has to act is told what, and by when; once the window has closed, plainly that it has."""
    if case["window"] == "closed":
        return [(Event.WINDOW_CLOSED, "")]
    if case["window"] == "expired" or case["materials_received"]:
        return []  # lapse is the renewal round's to record; received materials are staff's to file
    found, marks_left = [], sorted(marks)
    if case["state"] == State.ROUTED and case["route"] == Route.ASSISTED and case["supply_deadline"] is not None:
        found, marks_left = [(Event.SUPPLY_MATERIALS, "")], marks_left[:-1]  # stands for the first reminder
    reached = [mark for mark in marks_left if case["working_days_to_expiry"] <= mark]
    if reached:  # only the latest mark passed: a holder is not sent a backlog of reminders at once
        found.append((Event.EXPIRY_REMINDER, f":{min(reached)}"))
    return found


def subsidy_due_events(case: dict[str, Any]) -> list[tuple[Event, str]]:
    """A subsidy's holder is told once, when it has been paid. Before that there is nothing to tell: nobody applied
    and nothing is asked of them; a return is for the department and the policy officer to settle."""
    return [(Event.SUBSIDY_GRANTED, "")] if case["state"] == State.PAID else []


def natural_key(case_id: int, event: Event, suffix: str) -> str:
    return f"case:{case_id}:{event.value}{suffix}"


class Materials(BaseModel):
    """`materials.yaml`: what an assisted holder supplies beyond their licence type's own list, per factor that
    lowered the score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    factors: dict[str, list[str]]

    def missing(self, of_type: tuple[str, ...], reasons: dict[str, Any] | None) -> list[str]:
        """Everything an assisted case must supply, asked for at once: the type's materials, then the factors'."""
        factors = [f["factor"] for f in (reasons or {}).get("factors", []) if f.get("effect", 0) < 0]
        if str((reasons or {}).get("rule") or "").startswith("无有效联系手机"):
            factors.append("contact")
        items = list(of_type)
        for factor in factors:
            items.extend(item for item in self.factors.get(factor, []) if item not in items)
        return items


def load_materials(path: Path = MATERIALS_FILE) -> Materials:
    return load_yaml_model(path, Materials)
