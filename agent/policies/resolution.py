"""A policy on one matching date: the period it pays for and the parameter values in force that day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from agent.policies.model import DatedValue, ParamRef, Policy
from agent.policies.periods import Span, period_of


class NotApplicable(Exception):
    """The policy cannot be matched on this date (not in force, or a parameter without a value that day)."""


@dataclass(frozen=True)
class Resolution:
    policy: Policy
    as_of: date
    span: Span
    values: dict[str, DatedValue]  # every parameter of the policy, as in force on `as_of`

    def required(self, value: Any) -> Any:
        """A condition's or amount's value: the literal, or the parameter's value in force."""
        return self.values[value.param].value if isinstance(value, ParamRef) else value

    def source(self, value: Any) -> DatedValue | None:
        return self.values[value.param] if isinstance(value, ParamRef) else None


def resolve(policy: Policy, as_of: date) -> Resolution:
    if not policy.effective.covers(as_of):
        until = policy.effective.ends or "open-ended"
        raise NotApplicable(f"not in force on {as_of} (in force {policy.effective.starts} to {until})")
    values = {}
    for name in policy.parameters:
        value = policy.value_on(name, as_of)
        if value is None:
            raise NotApplicable(f"parameter {name!r} has no value in force on {as_of}")
        values[name] = value
    return Resolution(policy, as_of, period_of(policy, as_of), values)
