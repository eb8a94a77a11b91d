"""The platform's fixed lists: issuing authorities, the county's published support policies, business forms and
items, delivery methods."""

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
    "吸纳高校毕业生就业补贴",
    "高新技术企业认定奖励",
    "中小微企业贷款贴息",
    "企业研发投入后补助",
    "星级乡村旅游接待户（牧家乐）奖励",
    "专精特新中小企业认定奖励",
    "个体工商户创业担保贷款贴息",
    "纳税信用A级纳税人奖励",
    "科技型中小企业入库奖励",
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

# 省 → 市 → 县 for the Element build's address cascader: the county's own region and those of the reference practice.
REGIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "内蒙古自治区": {
        "鄂尔多斯市": (
            "东胜区",
            "康巴什区",
            "达拉特旗",
            "准格尔旗",
            "鄂托克前旗",
            "鄂托克旗",
            "杭锦旗",
            "乌审旗",
            "伊金霍洛旗",
        ),
        "呼和浩特市": ("新城区", "回民区", "玉泉区", "赛罕区"),
        "包头市": ("昆都仑区", "青山区", "东河区", "九原区"),
    },
    "河南省": {"南阳市": ("宛城区", "卧龙区", "新野县", "唐河县")},
    "山东省": {"聊城市": ("东昌府区", "茌平区", "阳谷县")},
    "湖南省": {"长沙市": ("芙蓉区", "岳麓区", "宁乡市", "浏阳市")},
}
