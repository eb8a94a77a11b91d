"""What the bot types into a renewal application, from the registry alone (一表申请: nobody re-types anything).
Pure: store rows in, canonical field values out."""

from __future__ import annotations

from datetime import date
from typing import Any

import phonenumbers

from bots.attachments import Document

ELECTRONIC_LICENCES = "营业执照、食品经营许可证（电子证照，平台证照库引用）"
# Form answers the registries do not hold: filled with the usual answer, and named in the remark as assumed.
ONLINE, CONDITIONS_CHANGED, DELIVERY = "否", "否", "邮寄送达"
ASSUMED = f"是否开展网络经营（{ONLINE}）、经营条件有无变化（{CONDITIONS_CHANGED}）、领取方式（{DELIVERY}）"


def platform_ref(case_id: int) -> str:
    """The reference the platform keeps for our case: written on the case before the bot acts, searched first."""
    return f"PA-{case_id:08d}"


def national_mobile(e164: str | None) -> str | None:
    if not e164:
        return None
    return str(phonenumbers.parse(e164).national_number)


def renewal_fields(case: dict[str, Any], licence: dict[str, Any], subject: dict[str, Any]) -> dict[str, Any]:
    """Canonical field → value for a food licence renewal, from the case, its licence and its subject."""
    holder = licence["holder_name"]
    person = subject.get("legal_rep") or holder
    items = [item for item in (licence.get("business_items") or "").split(";") if item]
    return {
        "reference": case["platform_ref"],
        "holder_name": holder,
        "credit_code": subject.get("credit_code") or licence["subject_key"],
        "legal_rep": person,
        "address": subject.get("address") or licence.get("address"),
        "contact_name": person,
        "contact_phone": national_mobile(licence.get("mobile") or subject.get("mobile")),
        "licence_no": licence["licence_no"],
        "issuer": licence.get("issuer"),
        "issued_on": licence.get("valid_from"),
        "expires_on": licence["expires_on"],
        "premises": licence.get("address"),
        "business_form": licence.get("business_form"),
        "business_items": items,
        "online": ONLINE,
        "warehouse_address": None,
        "conditions_changed": CONDITIONS_CHANGED,
        "safety_manager": person,
        "cite_business_licence": True,
        "cite_food_licence": True,
        "delivery": DELIVERY,
        "recipient": person,
        "recipient_address": subject.get("address") or licence.get("address"),
        "remark": remark(case, licence, subject),
        "promise": True,
        "application_form": renewal_form(case["platform_ref"], licence, subject, person),
    }


def renewal_form(reference: str, licence: dict[str, Any], subject: dict[str, Any], person: str) -> Document:
    """The 延续申请书 the platform asks to be uploaded, from the same registry data as the form."""
    holder = licence["holder_name"]
    rows = (
        ("申请事项", "食品经营许可延续"),
        ("经营者名称", holder),
        ("统一社会信用代码", subject.get("credit_code") or licence["subject_key"]),
        ("法定代表人（负责人）", person),
        ("许可证编号", licence["licence_no"]),
        ("原发证机关", licence.get("issuer") or "—"),
        ("有效期至", _day(licence["expires_on"])),
        ("经营场所", licence.get("address") or "—"),
        ("申请参考号", reference),
    )
    statement = (
        f"本经营者持有的食品经营许可证（编号{licence['licence_no']}）将于{_day(licence['expires_on'])}到期，"
        "现申请延续。经营条件未发生变化，所附信息与登记数据一致。",
        "本人对所提交材料的真实性负责。",
    )
    return Document("食品经营许可延续申请书", f"{reference}-延续申请书.pdf", rows, statement, holder)


def remark(case: dict[str, Any], licence: dict[str, Any], subject: dict[str, Any]) -> str:
    """The note for the approver: where every value came from, the score, and why."""
    reasons = case.get("reasons") or {}
    factors = "；".join(f["text"] for f in reasons.get("factors", []))
    lines = [
        "本申请由无感续证系统根据登记数据预填，未经申请人重新填写，请核对后确认。",
        f"数据来源：市场主体登记（{_day(subject.get('updated_at'))}更新）、许可证登记（{_day(licence.get('updated_at'))}更新），"
        f"材料引用{ELECTRONIC_LICENCES}。",
        f"无感续证评分 {case['score']:.3f}（模型 {case['model_version']}）。",
    ]
    if factors:
        lines.append(f"主要依据：{factors}。")
    lines.append(f"登记数据未载、按默认预填的项目：{ASSUMED}，请审批人员留意。")
    lines.append("告知承诺按登记信息预填，经营条件未发生变化的判断以审批人员核对为准。")
    return "\n".join(lines)


def _day(value: Any) -> str:
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)[:10] if value else "日期不详"
