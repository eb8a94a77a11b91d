"""What the bot types into a subsidy disbursement application (一表申请): the case's policy, period and amount, the
subject's registry data, and for the approver the trace that decided the case. Pure: rows in, field values out."""

from __future__ import annotations

from typing import Any

from bots.application import national_mobile
from bots.attachments import Document
from domain.policies.periods import period_words
from domain.policies.trace import describe_amount, legal_basis

# What the form cannot do without, and where it would come from, for the operator when the registry lacks it.
REQUIRED = {
    "credit_code": "统一社会信用代码",
    "bank": "开户银行",
    "account": "银行账号",
    "contact_phone": "联系手机",
}


def subsidy_fields(case: dict[str, Any], subject: dict[str, Any], policy_name: str) -> dict[str, Any]:
    """Canonical field → value for a disbursement of `case` to `subject`, under the platform's `policy_name`."""
    person = subject.get("legal_rep") or subject["name"]
    return {
        "reference": case["platform_ref"],
        "company_name": subject["name"],
        "credit_code": subject.get("credit_code"),
        "policy": policy_name,
        "amount": str(case["amount_yuan"]),
        "bank": subject.get("bank_name"),
        "account": subject.get("bank_account"),
        "contact_name": person,
        "contact_phone": national_mobile(subject.get("mobile")),
        "remark": remark(case),
        "subsidy_promise": True,
        "subsidy_application_form": disbursement_form(case, subject, policy_name),
    }


def disbursement_form(case: dict[str, Any], subject: dict[str, Any], policy_name: str) -> Document:
    """The 资金拨付申请书 the platform asks to be uploaded: the same facts as the form."""
    reference = case["platform_ref"]
    rows = (
        ("申请事项", "惠企政策资金拨付"),
        ("申报单位", subject["name"]),
        ("统一社会信用代码", subject.get("credit_code") or "—"),
        ("申报政策", policy_name),
        ("申请金额（元）", str(case["amount_yuan"])),
        ("开户银行", subject.get("bank_name") or "—"),
        ("收款账号", subject.get("bank_account") or "—"),
        ("申请参考号", reference),
    )
    statement = ("本单位申请拨付上述政策资金，所填信息真实有效，资金用于政策规定用途。",)
    return Document("惠企政策资金拨付申请书", f"{reference}-拨付申请书.pdf", rows, statement, subject["name"])


def missing(values: dict[str, Any]) -> list[str]:
    """What the registry does not hold for this application, in Chinese (empty when it can be filed)."""
    return [label for name, label in REQUIRED.items() if not values.get(name)]


def remark(case: dict[str, Any]) -> str:
    """The note for the approver: the policy and its reference, every condition with the subject's value (and the
    legal basis of a value set by a dated parameter; the others are the policy's own), and how the amount was
    reached."""
    trace = case["trace"]
    policy = trace["policy"]
    lines = [
        "本申请由惠企政策免申即享系统根据登记数据比对生成，企业无需申请，请核对后确认。",
        f"政策：{policy['title']}（{policy['department']}，{policy['reference']}），"
        f"{period_words(case['period'])}，比对日期{trace['as_of']}，规则版本{str(policy['version'])[:12]}。",
        "符合条件：",
    ]
    lines += [
        f"{n}. {c['condition']}：实际{c['value_text']}" + (f"（依据：{legal_basis(c, '')}）" if c["reference"] else "")
        for n, c in enumerate(trace["conditions"], start=1)
    ]
    lines.append(f"金额：{describe_amount(trace['amount'], policy['reference'])}，拨付{case['amount_yuan']}元。")
    return "\n".join(lines)
