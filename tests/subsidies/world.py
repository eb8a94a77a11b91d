"""Subsidy cases as policy matching writes them (the matcher is not under test here): a subject with its payment
account, and a case row with the trace `domain.policies.trace.explain` returns."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert

from ground.store.tables import cases, subjects
from sandbox.platform.checks import credit_check_char

MATCHED_AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
MOBILE = "+8613987654321"
POLICY_ID = "high_tech_award"  # listed in the shipped site profiles as 高新技术企业认定奖励

TRACE: dict[str, Any] = {
    "policy": {
        "id": POLICY_ID,
        "title": "高新技术企业认定奖励",
        "department": "鄂托克旗科学技术局",
        "reference": "鄂托克旗人民政府关于支持科技创新的若干措施（鄂托政发〔2025〕12号）第三条",
        "placeholder_references": [],
        "version": "3f9a1c2e7b5d4a60b1e2",
    },
    "as_of": "2026-11-25",
    "period": "2026",
    "subject_key": "",
    "eligible": True,
    "amount_yuan": 200000,
    "conditions": [
        {
            "condition": "高新技术企业证书在匹配日前3年内",
            "attribute": "high_tech_certified_on",
            "op": "within_years",
            "required": 3,
            "parameter": "certificate_years",
            "in_force_from": "2025-01-01",
            "reference": "鄂托政发〔2025〕12号第三条第一款",
            "value": "2026-03-18",
            "value_text": "2026年3月18日",
            "passed": True,
        },
        {
            "condition": "纳税信用等级属于A、B",
            "attribute": "tax_credit_rating",
            "op": "in",
            "required": ["A", "B"],
            "parameter": None,
            "in_force_from": None,
            "reference": None,
            "value": "A",
            "value_text": "A",
            "passed": True,
        },
    ],
    "amount": {
        "method": "fixed",
        "value": 200000,
        "parameter": "award",
        "in_force_from": "2025-01-01",
        "reference": "鄂托政发〔2025〕12号第三条第二款",
        "cap": None,
        "amount_yuan": 200000,
    },
    "excluded": None,
}


PLACEHOLDER_TRACE = TRACE | {
    "policy": TRACE["policy"] | {"reference": "〔待填：第X条〕", "placeholder_references": ["〔待填：第X条〕"]}
}


def credit_code(n: int) -> str:
    first17 = f"91150624MA0{n:06d}"
    return first17 + credit_check_char(first17)


def add_subject(engine: Engine, n: int, **values: Any) -> str:
    """A company with a mobile and a payment account on record; returns its subject key (its credit code)."""
    key = credit_code(n)
    row = {
        "subject_key": key,
        "credit_code": key,
        "name": f"鄂托克旗第{n}号科技有限公司",
        "kind": "enterprise",
        "legal_rep": "王芳",
        "address": "内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇团结路18号",
        "township": "乌兰镇",
        "status": "active",
        "mobile": MOBILE,
        "bank_name": "中国工商银行鄂托克旗支行",
        "bank_account": f"0605{n:015d}",
        "source": "test",
        "row_hash": str(n),
        "updated_at": MATCHED_AT,
    }
    with engine.begin() as connection:
        connection.execute(insert(subjects).values(**(row | values)))
    return key


def add_subsidy_case(engine: Engine, subject_key: str, state: str = "routed", **values: Any) -> int:
    """A subsidy case as matching creates it (routed, seamless), or in a later `state`; returns its id."""
    trace = copy.deepcopy(values.pop("trace", TRACE)) | {"subject_key": subject_key}
    period = values.pop("period", "2026")
    policy_id = values.pop("policy_id", POLICY_ID)
    row = {
        "natural_key": f"subsidy:{subject_key}:{policy_id}:{period}",
        "kind": "subsidy",
        "state": state,
        "route": "seamless",
        "subject_key": subject_key,
        "licence_no": None,
        "policy_id": policy_id,
        "policy_version": TRACE["policy"]["version"],
        "period": period,
        "amount_yuan": TRACE["amount_yuan"],
        "trace": trace,
        "created_at": MATCHED_AT,
        "updated_at": MATCHED_AT,
    }
    with engine.begin() as connection:
        inserted = connection.execute(insert(cases).values(**(row | values)))
    return int(inserted.inserted_primary_key[0])  # type: ignore[index]
