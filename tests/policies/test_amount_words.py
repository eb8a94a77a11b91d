"""How a subsidy amount reads for the approver and the auditor: each amount method, with its legal basis."""

from __future__ import annotations

from typing import Any

import pytest

from domain.policies.trace import describe_amount
from tests.subsidies.world import TRACE

POLICY = TRACE["policy"]
SOURCED = {"parameter": "p", "in_force_from": "2025-01-01", "reference": "鄂托政发〔2025〕12号第五条"}


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (TRACE["amount"], "定额200000元（依据：鄂托政发〔2025〕12号第三条第二款，2025-01-01起施行）"),
        (  # a fixed value written in the policy itself cites the policy
            {
                "method": "fixed",
                "value": 5000,
                "parameter": None,
                "in_force_from": None,
                "reference": None,
                "cap": None,
            },
            f"定额5000元（依据：{POLICY['reference']}）",
        ),
        (
            {
                "method": "tiered",
                "label": "从业人数",
                "input": 35,
                "tier": {"at_least": 20, "amount": 30000},
                **SOURCED,
                "cap": None,
            },
            "按从业人数35分档，适用不低于20一档30000元（依据：鄂托政发〔2025〕12号第五条，2025-01-01起施行）",
        ),
        (
            {
                "method": "formula",
                "formula": "new_loans_10k_yuan * 10000 * rate",
                "inputs": {"new_loans_10k_yuan": 300},
                "parameters": {"rate": {"value": 0.015, "in_force_from": "2026-01-01", "reference": "贴息办法第四条"}},
                "result": 45000,
                "cap": {"value": 40000, **SOURCED},
            },
            "按公式上年新增银行贷款 * 10000 * rate计算（上年新增银行贷款=300万元，rate=0.015（依据：贴息办法第四条，"
            "2026-01-01起施行）），得45000元，上限40000元（依据：鄂托政发〔2025〕12号第五条，2025-01-01起施行）",
        ),
    ],
)
def test_the_amount_is_explained_with_its_legal_basis(amount: dict[str, Any], text: str) -> None:
    assert describe_amount(amount, POLICY["reference"]) == text


def test_a_value_below_every_tier_says_so() -> None:
    part = {"method": "tiered", "label": "上年纳税总额", "input": 18.6, "tier": None, "cap": None, "reference": None}
    assert describe_amount(part, "本政策") == "按上年纳税总额18.6分档，未达到任何一档（依据：本政策）"
