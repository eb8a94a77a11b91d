"""The trace of a decision, stored with each subsidy case: every condition in Chinese, the subject's value, the
value required on the matching date with the parameter and legal reference it came from, pass or fail; then how
the amount was reached. It is what a policy officer shows an auditor for each payment.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from domain.policies.amounts import amounts, payable
from domain.policies.attributes import ATTRIBUTES, Kind, describe_value
from domain.policies.conditions import condition_mask
from domain.policies.model import Condition, Op, Tier
from domain.policies.periods import Span
from domain.policies.population import Population
from domain.policies.resolution import Resolution

# How an operation reads in the policy text; the others read `label symbol value`.
WORDING = {
    Op.PRESENT: "{label}有记录",
    Op.IN_PERIOD: "{label}在{period}内",
    Op.WITHIN_YEARS: "{label}在匹配日前{value}年内",
    Op.AT_LEAST_YEARS_AGO: "{label}距匹配日满{value}年",
    Op.ON_OR_AFTER: "{label}不早于{value}",
    Op.BEFORE: "{label}早于{value}",
    Op.IN: "{label}属于{listed}",
    Op.NOT_IN: "{label}不属于{listed}",
    Op.STARTS_WITH: "{label}以{listed}开头",
}
LISTING = frozenset({Op.IN, Op.NOT_IN, Op.STARTS_WITH})
SYMBOLS = {Op.EQ: "=", Op.NE: "≠", Op.GT: ">", Op.GE: "≥", Op.LT: "<", Op.LE: "≤"}


def explain(
    resolution: Resolution,
    population: Population,
    rows: NDArray[np.int64],
    excluded: Mapping[int, str] | None = None,
) -> list[dict[str, Any]]:
    """One trace per subject at `rows`: what each condition found, the amount, and any exclusion (by row)."""
    subset = population.take(rows)
    conditions = [_condition_column(condition, resolution, subset) for condition in resolution.policy.conditions]
    amount_parts, paid = _amount_columns(resolution, population, rows)
    header = _header(resolution)
    traces = []
    for i, row in enumerate(rows.tolist()):
        checks = [
            {**static, "value": values[i], "value_text": texts[i], "passed": passed[i]}
            for static, values, texts, passed in conditions
        ]
        reason = (excluded or {}).get(row)
        eligible = all(check["passed"] for check in checks) and paid[i] > 0 and reason is None
        traces.append(
            {
                **header,
                "subject_key": str(subset.keys[i]),
                "eligible": eligible,
                "amount_yuan": int(paid[i]) if eligible else 0,
                "conditions": checks,
                "amount": amount_parts[i],
                "excluded": reason,
            }
        )
    return traces


def failures(trace: dict[str, Any]) -> list[str]:
    """Why a traced subject does not qualify, in Chinese: each failed condition with its value, or exclusion."""
    failed = [f"{c['condition']}（实际：{c['value_text']}）" for c in trace["conditions"] if not c["passed"]]
    if trace["excluded"]:
        failed.append(trace["excluded"])
    if not failed and not trace["eligible"]:
        failed.append("按规则计算的补贴金额为零")
    return failed


def _header(resolution: Resolution) -> dict[str, Any]:
    policy = resolution.policy
    return {
        "policy": {
            "id": policy.id,
            "title": policy.title,
            "department": policy.department,
            "reference": policy.reference,
            "placeholder_references": policy.placeholder_references,
            "version": policy.version,
        },
        "as_of": resolution.as_of.isoformat(),
        "period": resolution.span.label,
        "parameters_on": resolution.values_on.isoformat(),
    }


def _condition_column(
    condition: Condition, resolution: Resolution, subset: Population
) -> tuple[dict[str, Any], list[Any], list[str], list[bool]]:
    """The condition's fixed part, and per subject its value, that value in words, and whether it passed."""
    required = resolution.required(condition.value)
    source = resolution.source(condition.value)
    static = {
        "condition": condition.label or describe_condition(condition, required, resolution.span),
        "attribute": condition.attribute,
        "op": str(condition.op),
        "required": plain(required),
        "parameter": None if source is None else condition.value.param,  # type: ignore[union-attr]
        "in_force_from": None if source is None else source.starts.isoformat(),
        "reference": None if source is None else source.reference,
    }
    attribute = condition.definition
    raw = subset.python_values(condition.attribute)
    passed = condition_mask(condition, subset, required, resolution.span, resolution.as_of).tolist()
    return static, [plain(v) for v in raw], [describe_value(attribute, v) for v in raw], passed


def describe_condition(condition: Condition, required: Any, span: Span) -> str:
    """A condition as the policy text would word it: 从业人数 ≤ 100人, 纳税信用等级 = A, 行业代码以 C、I65 开头."""
    attribute = condition.definition
    label = attribute.label
    if condition.op in WORDING:
        listed = _listed(attribute.name, required) if condition.op in LISTING else ""
        return WORDING[condition.op].format(label=label, value=required, period=span.describe(), listed=listed)
    if attribute.kind is Kind.BOOL:
        return f"{label}：{describe_value(attribute, required)}"
    return f"{label} {SYMBOLS[condition.op]} {describe_value(attribute, required)}"


def _listed(name: str, values: Any) -> str:
    items = [values] if isinstance(values, str) else list(values)
    return "、".join(describe_value(ATTRIBUTES[name], item) for item in items)


def _amount_columns(
    resolution: Resolution, population: Population, rows: NDArray[np.int64]
) -> tuple[list[dict[str, Any]], NDArray[np.int64]]:
    uncapped = amounts(resolution, population, rows)
    paid = payable(resolution, uncapped)
    amount = resolution.policy.amount
    cap = None if amount.cap is None else _sourced(resolution, amount.cap)
    if amount.fixed is not None:
        parts = [{"method": "fixed", **_sourced(resolution, amount.fixed)} for _ in range(len(rows))]
    elif amount.tiered is not None:
        parts = _tier_parts(resolution, population, rows)
    else:
        parts = _formula_parts(resolution, population, rows, uncapped)
    for part, value in zip(parts, paid.tolist(), strict=True):
        part.update({"cap": cap, "amount_yuan": value})
    return parts, paid


def _tier_parts(resolution: Resolution, population: Population, rows: NDArray[np.int64]) -> list[dict[str, Any]]:
    tiered = resolution.policy.amount.tiered
    assert tiered is not None
    tiers: list[Tier] = resolution.required(tiered.tiers)
    source = _sourced(resolution, tiered.tiers)
    thresholds = np.array([t.at_least for t in tiers])
    values = population.columns[tiered.attribute][rows]
    index = (np.searchsorted(thresholds, values, side="right") - 1).tolist()
    return [
        {
            "method": "tiered",
            "attribute": tiered.attribute,
            "label": ATTRIBUTES[tiered.attribute].label,
            "input": plain(value),
            "tier": tiers[i].model_dump() if i >= 0 and not math.isnan(value) else None,
            **{key: source[key] for key in ("parameter", "in_force_from", "reference")},
        }
        for value, i in zip(values.tolist(), index, strict=True)
    ]


def _formula_parts(
    resolution: Resolution, population: Population, rows: NDArray[np.int64], uncapped: NDArray[np.float64]
) -> list[dict[str, Any]]:
    formula = resolution.policy.amount.parsed_formula
    parameters = {name: _described(resolution, name) for name in sorted(formula.names & set(resolution.values))}
    attributes = sorted(formula.names - set(resolution.values))
    columns = {name: population.columns[name][rows].tolist() for name in attributes}
    return [
        {
            "method": "formula",
            "formula": formula.text,
            "inputs": {name: plain(columns[name][i]) for name in attributes},
            "parameters": parameters,
            "result": None if math.isnan(result) else round(result, 2),
        }
        for i, result in enumerate(uncapped.tolist())
    ]


def _sourced(resolution: Resolution, value: Any) -> dict[str, Any]:
    source = resolution.source(value)
    return {
        "value": plain(resolution.required(value)),
        "parameter": None if source is None else value.param,
        "in_force_from": None if source is None else source.starts.isoformat(),
        "reference": None if source is None else source.reference,
    }


def _described(resolution: Resolution, name: str) -> dict[str, Any]:
    dated = resolution.values[name]
    return {"value": plain(dated.value), "in_force_from": dated.starts.isoformat(), "reference": dated.reference}


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text, tiers as mappings, NaN as null, whole floats as ints."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, Tier):
        return value.model_dump()
    if isinstance(value, float):
        return None if math.isnan(value) else (int(value) if value.is_integer() else value)
    return value


def describe_amount(part: dict[str, Any], policy_reference: str) -> str:
    """How a traced amount was reached, in Chinese: the method, the values used and the legal basis of each (the
    policy's own reference for a value written in the policy itself), and any cap."""

    def basis(source: dict[str, Any]) -> str:
        return legal_basis(source, policy_reference)

    if part["method"] == "fixed":
        text = f"定额{part['value']}元（依据：{basis(part)}）"
    elif part["method"] == "tiered":
        tier = part["tier"]
        reached = f"适用不低于{tier['at_least']}一档{tier['amount']}元" if tier else "未达到任何一档"
        text = f"按{part['label']}{part['input']}分档，{reached}（依据：{basis(part)}）"
    else:
        values = [
            f"{ATTRIBUTES[name].label}={describe_value(ATTRIBUTES[name], v)}" for name, v in part["inputs"].items()
        ]
        values += [f"{name}={p['value']}（依据：{basis(p)}）" for name, p in part["parameters"].items()]
        text = f"按公式{_worded(part['formula'])}计算（{'，'.join(values)}），得{plain(part['result'])}元"
    if part["cap"] is not None:
        text += f"，上限{part['cap']['value']}元（依据：{basis(part['cap'])}）"
    return text


def legal_basis(source: dict[str, Any], policy_reference: str) -> str:
    """A traced value's legal reference and the day it took effect; a value written in the policy cites the policy."""
    reference = source.get("reference")
    return f"{reference}，{source['in_force_from']}起施行" if reference else policy_reference


def _worded(formula: str) -> str:
    """A formula with its attributes named as the policy text names them."""
    return re.sub(r"[a-z_][a-z0-9_]*", lambda m: ATTRIBUTES[m[0]].label if m[0] in ATTRIBUTES else m[0], formula)
