"""The platform's fixed lists: issuing authorities, policies, business forms and items, delivery methods."""

from __future__ import annotations

ISSUERS = (
    "鄂托克旗市场监督管理局",
    "鄂尔多斯市市场监督管理局",
    "鄂托克前旗市场监督管理局",
    "杭锦旗市场监督管理局",
    "乌审旗市场监督管理局",
    "鄂尔多斯市东胜区市场监督管理局",
)

POLICIES = (
    "高新技术企业认定奖励",
    "科技型中小企业研发费用补助",
    "中小微企业贷款贴息",
    "文化旅游企业发展扶持资金",
    "高校毕业生就业补贴",
    "纳税信用A级企业奖励",
)

BUSINESS_FORMS = ("食品销售经营者", "餐饮服务经营者", "单位食堂")

BUSINESS_ITEMS = (
    "预包装食品销售(含冷藏冷冻食品)",
    "散装食品销售",
    "特殊食品销售",
    "热食类食品制售",
    "冷食类食品制售",
    "生食类食品制售",
    "半成品制售",
    "自制饮品制售",
)

YES_NO = ("是", "否")
NO_YES = ("否", "是")
BY_POST = "邮寄送达"
DELIVERY = (BY_POST, "窗口领取")

CONDITIONS_CHANGED_REFUSAL = "经营条件发生变化的，请到窗口办理并接受现场核查"
