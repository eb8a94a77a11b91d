"""The subject attributes a policy may test: each one a column of `subjects`, with its kind and its Chinese label.

A policy file that names any other attribute is rejected at load: a typo must not silently match nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    DATE = "date"


@dataclass(frozen=True)
class Attribute:
    name: str
    kind: Kind
    label: str  # how a trace and the console name it
    unit: str = ""
    words: tuple[tuple[str, str], ...] = ()  # stored code → Chinese word, for traces


ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute("kind", Kind.TEXT, "主体类型", words=(("enterprise", "企业"), ("individual", "个体工商户"))),
        Attribute(
            "status",
            Kind.TEXT,
            "登记状态",
            words=(("active", "存续"), ("deregistered", "注销"), ("revoked", "吊销")),
        ),
        Attribute("industry_code", Kind.TEXT, "国民经济行业代码"),
        Attribute("township", Kind.TEXT, "所在乡镇（苏木）"),
        Attribute("employees", Kind.NUMBER, "从业人数", "人"),
        Attribute("revenue_10k_yuan", Kind.NUMBER, "上年营业收入", "万元"),
        Attribute("tax_credit_rating", Kind.TEXT, "纳税信用等级"),
        Attribute("tax_paid_10k_yuan", Kind.NUMBER, "上年纳税总额", "万元"),
        Attribute("rd_share", Kind.NUMBER, "研发费用占营业收入比例", "%"),
        Attribute("new_loans_10k_yuan", Kind.NUMBER, "上年新增银行贷款", "万元"),
        Attribute("graduates_hired", Kind.NUMBER, "上年新招用高校毕业生", "人"),
        Attribute("high_tech", Kind.BOOL, "高新技术企业"),
        Attribute("high_tech_certified_on", Kind.DATE, "高新技术企业认定日期"),
        Attribute("specialised_sme_on", Kind.DATE, "专精特新中小企业认定日期"),
        Attribute("tech_sme_on", Kind.DATE, "科技型中小企业入库日期"),
        Attribute("tourism_stars", Kind.NUMBER, "乡村旅游接待户星级", "星"),
        Attribute("tourism_rated_on", Kind.DATE, "星级评定日期"),
        Attribute("registered_on", Kind.DATE, "成立日期"),
        Attribute("abnormal_list", Kind.BOOL, "列入经营异常名录"),
        Attribute("serious_violation_list", Kind.BOOL, "列入严重违法失信名单"),
    )
}


def describe_value(attribute: Attribute, value: object) -> str:
    """A subject's value as a policy officer reads it: 企业, 是/否, 35人, 无记录."""
    if value is None:
        return "无记录"
    if attribute.kind is Kind.BOOL:
        return "是" if value else "否"
    words = dict(attribute.words)
    return f"{words.get(str(value), value)}{attribute.unit}"
