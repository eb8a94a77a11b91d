"""A policy on one matching date: the period it pays for and the parameter values in force for that period.

A period's values are those in force on its last day (or on the matching day, while the period is still running):
last year's loans are subsidised at last year's rate even when they are matched after a new rate came in. A policy
that says otherwise sets `parameters_as_of: matching`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.policies.model import DatedValue, ParametersAsOf, ParamRef, Policy
from domain.policies.periods import Span, period_of


class NotApplicable(Exception):
    """The policy cannot be matched on this date (not in force, or a parameter without a value that day)."""


@dataclass(frozen=True)
class Resolution:
    policy: Policy
    as_of: date
    span: Span
    values: dict[str, DatedValue]  # every parameter of the policy, as in force on `values_on`
    values_on: date

    def required(self, value: Any) -> Any:
        """A condition's or amount's value: the literal, or the parameter's value in force."""
        return self.values[value.param].value if isinstance(value, ParamRef) else value

    def source(self, value: Any) -> DatedValue | None:
        return self.values[value.param] if isinstance(value, ParamRef) else None


def resolve(policy: Policy, as_of: date) -> Resolution:
    if not policy.effective.covers(as_of):
        until = policy.effective.ends or "open-ended"
        raise NotApplicable(f"not in force on {as_of} (in force {policy.effective.starts} to {until})")
    span = period_of(policy, as_of)
    day = values_day(policy, span, as_of)
    values = {}
    for name in policy.parameters:
        value = policy.value_on(name, day)
        if value is None:
            raise NotApplicable(f"parameter {name!r} has no value in force on {day} (for the period {span.label})")
        values[name] = value
    return Resolution(policy, as_of, span, values, day)


def values_day(policy: Policy, span: Span, as_of: date) -> date:
    """The day whose parameter values the policy pays with on `as_of` for `span`."""
    if policy.parameters_as_of is ParametersAsOf.MATCHING:
        return as_of
    return min(span.ends, as_of)
