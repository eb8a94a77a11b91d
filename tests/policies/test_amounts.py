"""Amounts at their edges: what a formula pays when its figures cannot give a payment."""

from __future__ import annotations

from datetime import date

from domain.policies.evaluate import evaluate
from domain.policies.model import Policy
from domain.policies.population import Population

PER_HEAD = {
    "id": "per_head_award",
    "title": "按人均营业收入奖励",
    "department": "鄂托克旗工业和信息化局",
    "category": "资金奖补类",
    "area": "产业发展",
    "reference": "〔测试用〕",
    "effective": {"from": date(2024, 1, 1)},
    "period": "year",
    "conditions": [{"attribute": "status", "op": "eq", "value": "active"}],
    "amount": {"formula": "revenue_10k_yuan * 100 / employees", "cap": 50000},
}


def test_a_division_by_zero_pays_nothing_even_under_a_cap() -> None:
    # 300万 of revenue over 0 employees is no figure at all: it must not be capped into the 50,000 maximum.
    population = Population.from_records(
        [
            {"subject_key": "no_staff", "status": "active", "revenue_10k_yuan": 300.0, "employees": 0},
            {"subject_key": "ten_staff", "status": "active", "revenue_10k_yuan": 300.0, "employees": 10},
        ]
    )
    outcome = evaluate(Policy.model_validate(PER_HEAD), population, date(2026, 3, 1))
    assert population.keys[outcome.rows].tolist() == ["ten_staff"]
    assert outcome.amounts.tolist() == [3000]
