"""The policy rules evaluated one subject at a time in plain Python: the policies suite's baseline, and the oracle
the vectorised matching is tested against.

Written apart from `domain.policies.conditions`, `amounts` and `evaluate` on purpose: it reuses only the policy
model (conditions, operations, the parsed formula tree), `resolve` for the parameter values in force and the
calendar arithmetic of `periods`. A subject is a plain dict (attribute → value, None when the registry holds none).
Exclusions across policies (once in N years, mutually exclusive groups) are not applied here: they need every
policy's candidates and the case history at once, which is no per-row rule.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from domain.policies.attributes import ATTRIBUTES, Kind
from domain.policies.model import Condition, Op, ParamRef, Tier
from domain.policies.periods import years_before
from domain.policies.population import KEY
from domain.policies.resolution import Resolution
from ground.store.tables import subjects

Subject = Mapping[str, Any]
COMPARE: dict[Op, Callable[[Any, Any], bool]] = {
    Op.EQ: operator.eq,
    Op.NE: operator.ne,
    Op.GT: operator.gt,
    Op.GE: operator.ge,
    Op.LT: operator.lt,
    Op.LE: operator.le,
}
ARITHMETIC: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
CHOOSE: dict[str, Callable[[float, float], float]] = {"min": min, "max": max}


@dataclass(frozen=True)
class RowResult:
    qualifies: bool  # every condition met
    amount: int  # whole yuan payable (0: no case, even when the conditions are met)


def evaluate_row(resolution: Resolution, subject: Subject) -> RowResult:
    """One subject against one policy resolved on its matching date."""
    qualifies = all(passes(condition, resolution, subject) for condition in resolution.policy.conditions)
    return RowResult(qualifies, payable_amount(resolution, subject) if qualifies else 0)


def passes(condition: Condition, resolution: Resolution, subject: Subject) -> bool:
    """A condition on one subject. A missing value fails every test but the one for presence."""
    value = subject.get(condition.attribute)
    if condition.op is Op.PRESENT:
        return value is not None
    return value is not None and _value_passes(condition, value, resolution)


def _value_passes(condition: Condition, value: Any, resolution: Resolution) -> bool:
    required = resolution.required(condition.value)
    kind = ATTRIBUTES[condition.attribute].kind
    if kind is Kind.DATE:
        return _date_passes(condition.op, value, required, resolution)
    if kind is Kind.NUMBER:
        return _number_passes(condition.op, float(value), required)
    return _text_passes(condition.op, value, required)  # texts, and yes/no (which only eq tests)


def _text_passes(op: Op, value: Any, required: Any) -> bool:
    if op is Op.STARTS_WITH:
        return str(value).startswith(tuple([required] if isinstance(required, str) else required))
    if op in (Op.IN, Op.NOT_IN):
        return (value in set(required)) is (op is Op.IN)
    return COMPARE[op](value, required)


def _number_passes(op: Op, value: float, required: Any) -> bool:
    if op in (Op.IN, Op.NOT_IN):
        return (value in {float(item) for item in required}) is (op is Op.IN)
    return COMPARE[op](value, float(required))


def _date_passes(op: Op, day: date, required: Any, resolution: Resolution) -> bool:
    as_of, span = resolution.as_of, resolution.span
    if op is Op.IN_PERIOD:
        return span.starts <= day <= min(span.ends, as_of)
    if op is Op.WITHIN_YEARS:
        return years_before(as_of, int(required)) <= day <= as_of
    if op is Op.AT_LEAST_YEARS_AGO:
        return day <= years_before(as_of, int(required))
    if op is Op.ON_OR_AFTER:
        return bool(day >= required)
    return bool(day < required)  # Op.BEFORE, the only date test left


def payable_amount(resolution: Resolution, subject: Subject) -> int:
    """The amount in whole yuan, capped and rounded down; 0 when an input is missing or the result is not a
    positive finite number (a division by zero pays nothing, whatever the cap)."""
    uncapped = _uncapped(resolution, subject)
    if uncapped is None or not math.isfinite(uncapped):
        return 0
    cap = resolution.policy.amount.cap
    capped = uncapped if cap is None else min(uncapped, float(resolution.required(cap)))
    return max(math.floor(capped), 0)


def _uncapped(resolution: Resolution, subject: Subject) -> float | None:
    amount = resolution.policy.amount
    if amount.fixed is not None:
        return float(resolution.required(amount.fixed))
    if amount.tiered is not None:
        return _tier(resolution.required(amount.tiered.tiers), subject.get(amount.tiered.attribute))
    names = {name: _formula_name(resolution, subject, name) for name in amount.parsed_formula.names}
    if any(value is None for value in names.values()):
        return None
    return _arithmetic(amount.parsed_formula.tree, names)


def _tier(tiers: Sequence[Tier], value: float | None) -> float | None:
    """The amount of the highest tier reached; None below the first tier or for a missing value."""
    if value is None:
        return None
    reached = [tier.amount for tier in tiers if tier.at_least <= value]
    return float(reached[-1]) if reached else None


def _formula_name(resolution: Resolution, subject: Subject, name: str) -> float | None:
    if name in resolution.values:
        return float(resolution.required(ParamRef(param=name)))
    value = subject.get(name)
    return None if value is None else float(value)


def _arithmetic(node: ast.expr, names: Mapping[str, Any]) -> float | None:
    """The formula's tree in plain floats (the model accepted only these node kinds); None on a division by
    zero."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        return float(names[node.id])
    if isinstance(node, ast.UnaryOp):
        operand = _arithmetic(node.operand, names)
        return None if operand is None else -operand
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        first, second = (_arithmetic(arg, names) for arg in node.args)
        return None if first is None or second is None else CHOOSE[node.func.id](first, second)
    assert isinstance(node, ast.BinOp)
    left, right = _arithmetic(node.left, names), _arithmetic(node.right, names)
    if left is None or right is None or (isinstance(node.op, ast.Div) and right == 0):
        return None
    return ARITHMETIC[type(node.op)](left, right)


def read_subject_records(connection: Connection, every: int = 1, limit: int | None = None) -> list[dict[str, Any]]:
    """Subjects from the store as plain dicts through SQLAlchemy's own typing (dates as `date`, flags as `bool`),
    not through the vectorised reader; every `every`-th one by id, at most `limit`."""
    query = select(subjects.c[KEY], *(subjects.c[name] for name in ATTRIBUTES)).order_by(subjects.c.id)
    if every > 1:
        query = query.where(subjects.c.id % every == 0)
    return [dict(row) for row in connection.execute(query.limit(limit)).mappings()]
