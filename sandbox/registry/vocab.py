"""Words the generator draws from: places, people, trade names, and the kinds of business in the county.

Place names are the county's real towns and 苏木; street, 嘎查 and trade names are illustrative. Every
character here must be encodable in GBK, because subjects.csv is written in GBK.
"""

from __future__ import annotations

from dataclasses import dataclass

REGION_CODE = "150624"
COUNTY = "鄂托克旗"
CITY = "鄂尔多斯市"
PROVINCE_CITY = "内蒙古自治区鄂尔多斯市"

# (town, share of the county's businesses, pastoral: addresses are mostly in 嘎查)
TOWNS: tuple[tuple[str, float, bool], ...] = (
    ("乌兰镇", 0.34, False),
    ("棋盘井镇", 0.34, False),
    ("蒙西镇", 0.15, False),
    ("木凯淖尔镇", 0.07, True),
    ("阿尔巴斯苏木", 0.05, True),
    ("苏米图苏木", 0.05, True),
)

ROADS = (
    "人民路",
    "团结路",
    "建设路",
    "文化路",
    "民族街",
    "乌兰街",
    "迎宾大道",
    "新华街",
    "光明路",
    "草原街",
    "振兴路",
    "和谐路",
    "工业园区一路",
    "幸福街",
    "利民街",
    "商贸街",
)

GACHA = (
    "赛乌素",
    "巴音乌素",
    "哈日陶勒盖",
    "乌兰陶勒盖",
    "呼和乌素",
    "查汗淖尔",
    "敖伦布拉格",
    "赛音乌素",
    "巴彦希里",
    "陶日木",
    "宝日乌素",
    "包乐浩晓",
)

SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "韩",
    "冯",
    "曹",
    "田",
    "董",
    "袁",
    "于",
    "杜",
    "苏",
    "魏",
    "吕",
    "丁",
    "任",
    "姚",
    "崔",
    "贾",
    "石",
    "白",
    "包",
    "郝",
    "闫",
    "薛",
    "乔",
    "霍",
    "武",
    "奇",
    "温",
)

GIVEN_CHARS = (
    "建",
    "国",
    "华",
    "军",
    "伟",
    "强",
    "平",
    "芳",
    "丽",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "刚",
    "波",
    "辉",
    "鹏",
    "飞",
    "红",
    "玉",
    "兰",
    "英",
    "春",
    "海",
    "文",
    "斌",
    "宇",
    "浩",
    "婷",
    "雪",
    "峰",
    "亮",
    "娜",
)

# Mongolian given names are often used alone; the two parts combine into longer names (斯琴高娃, 额尔敦巴雅尔).
MONGOLIAN_NAME_PARTS = (
    "巴特尔",
    "乌力吉",
    "额尔敦",
    "那顺",
    "吉日嘎拉",
    "苏和",
    "朝鲁",
    "阿拉坦",
    "宝音",
    "孟和",
    "斯琴",
    "其其格",
    "萨仁",
    "图雅",
    "乌云",
    "格日勒",
    "娜仁",
    "高娃",
    "毕力格",
    "巴雅尔",
    "布和",
    "德力格尔",
    "满都拉",
    "特木尔",
)

TRADE_WORDS = (
    "鑫源",
    "恒泰",
    "福满",
    "金辉",
    "宏达",
    "兴旺",
    "顺发",
    "华联",
    "蒙源",
    "草原",
    "阿拉腾",
    "塞外",
    "天骄",
    "红柳",
    "沙海",
    "驼铃",
    "白云",
    "金穗",
    "丰泽",
    "瑞祥",
    "和顺",
    "宝丰",
    "盛世",
    "永兴",
    "德胜",
    "万家",
    "百姓",
    "老乡",
    "好运",
    "福源",
    "嘉禾",
    "乌兰",
    "巴音",
    "吉祥",
    "腾飞",
    "鼎盛",
    "益民",
    "惠民",
    "蒙鑫",
    "苏力德",
)


@dataclass(frozen=True)
class Archetype:
    """A kind of business in the county: what it is called, its trade, and which licences it holds.

    `slot_types[k]` is the chance of (food, tobacco, drug) for a subject's k-th licence; `food_formats` is the
    chance of (食品销售经营者, 餐饮服务经营者, 单位食堂) for its food licences; `item_probs` overrides the
    chance of each 经营项目 (by index into FOOD_ITEMS) for this kind of business.
    """

    key: str
    weight: float
    individual_share: float
    industries: tuple[str, ...]
    individual_suffixes: tuple[str, ...]
    enterprise_suffixes: tuple[str, ...]
    licence_counts: tuple[float, float, float]
    slot_types: tuple[tuple[float, float, float], ...]
    food_formats: tuple[float, float, float]
    item_probs: tuple[float, ...] | None = None
    employees_log_mean: float = 2.2
    revenue_log_mean: float = 5.5
    high_tech_share: float = 0.003
    town_weights: tuple[float, ...] | None = None
    # What the subsidy policies ask about (enterprises only): the share spending on R&D and the log of their
    # spending as a percentage of revenue, the shares in the 科技型中小企业 register and certified 专精特新.
    rd_active_share: float = 0.03
    rd_log_mean: float = 0.0
    tech_sme_share: float = 0.0
    specialised_share: float = 0.0
    rated_inn_share: float = 0.0  # 星级乡村旅游接待户 (牧家乐) among all subjects of the kind


LICENCE_TYPES = ("食品经营许可证", "烟草专卖零售许可证", "药品经营许可证")
FOOD, TOBACCO, DRUG = 0, 1, 2
ISSUERS = ("鄂托克旗市场监督管理局", "鄂托克旗烟草专卖局", "鄂托克旗市场监督管理局")

FOOD_FORMATS = ("食品销售经营者", "餐饮服务经营者", "单位食堂")
FOOD_ITEMS = (
    "预包装食品销售(含冷藏冷冻食品)",
    "散装食品销售",
    "特殊食品销售",
    "热食类食品制售",
    "冷食类食品制售",
    "生食类食品制售",
    "半成品制售",
    "自制饮品制售",
)
# Default chance of each item by food format. A selling licence always has at least one 销售 item and a
# catering or canteen licence at least one 制售 item (its likeliest one is added when none was drawn).
FORMAT_ITEM_PROBS: tuple[tuple[float, ...], ...] = (
    (0.97, 0.5, 0.12, 0.0, 0.0, 0.0, 0.0, 0.04),
    (0.3, 0.0, 0.0, 0.95, 0.4, 0.03, 0.1, 0.3),
    (0.0, 0.0, 0.0, 1.0, 0.2, 0.0, 0.0, 0.05),
)

# Which items count as the format's own: selling items for 食品销售经营者, making items for the others.
FORMAT_OWN_ITEMS: tuple[tuple[bool, ...], ...] = (
    tuple("销售" in item for item in FOOD_ITEMS),
    tuple("制售" in item for item in FOOD_ITEMS),
    tuple("制售" in item for item in FOOD_ITEMS),
)

ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        key="restaurant",
        weight=0.30,
        individual_share=0.85,
        industries=("H6210", "H6210", "H6220", "H6291"),
        individual_suffixes=("饭店", "餐馆", "面馆", "小吃店", "烧烤店", "手把肉馆", "火锅店", "羊肉馆", "快餐店"),
        enterprise_suffixes=("餐饮有限公司", "餐饮管理有限公司", "饮食服务有限责任公司"),
        licence_counts=(0.86, 0.11, 0.03),
        slot_types=((1.0, 0.0, 0.0), (0.55, 0.45, 0.0), (0.7, 0.3, 0.0)),
        food_formats=(0.0, 1.0, 0.0),
        rated_inn_share=0.01,
    ),
    Archetype(
        key="pastoral_inn",
        weight=0.05,
        individual_share=1.0,
        industries=("H6210",),
        individual_suffixes=("牧家乐", "农家乐", "蒙古包"),
        enterprise_suffixes=("旅游有限公司",),
        licence_counts=(0.9, 0.1, 0.0),
        slot_types=((1.0, 0.0, 0.0), (0.3, 0.7, 0.0)),
        food_formats=(0.0, 1.0, 0.0),
        town_weights=(0.05, 0.05, 0.05, 0.25, 0.3, 0.3),
        rated_inn_share=0.3,
    ),
    Archetype(
        key="store",
        weight=0.23,
        individual_share=0.85,
        industries=("F5213", "F5212", "F5219"),
        individual_suffixes=("便利店", "超市", "商店", "副食店", "百货商店", "小卖部"),
        enterprise_suffixes=("商贸有限公司", "超市有限公司", "连锁超市有限公司"),
        licence_counts=(0.72, 0.25, 0.03),
        slot_types=((0.94, 0.06, 0.0), (0.15, 0.85, 0.0), (0.6, 0.4, 0.0)),
        food_formats=(1.0, 0.0, 0.0),
    ),
    Archetype(
        key="tobacco_liquor",
        weight=0.05,
        individual_share=0.95,
        industries=("F5226", "F5227"),
        individual_suffixes=("烟酒店", "烟酒商行", "名烟名酒店"),
        enterprise_suffixes=("烟酒商贸有限公司",),
        licence_counts=(0.6, 0.4, 0.0),
        slot_types=((0.1, 0.9, 0.0), (0.9, 0.1, 0.0)),
        food_formats=(1.0, 0.0, 0.0),
    ),
    Archetype(
        key="grocery",
        weight=0.04,
        individual_share=0.95,
        industries=("F5224", "F5221", "F5223"),
        individual_suffixes=("牛羊肉店", "粮油店", "蔬菜水果店", "鲜肉店"),
        enterprise_suffixes=("农副产品有限公司",),
        licence_counts=(0.9, 0.1, 0.0),
        slot_types=((1.0, 0.0, 0.0), (0.6, 0.4, 0.0)),
        food_formats=(1.0, 0.0, 0.0),
        item_probs=(0.7, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ),
    Archetype(
        key="pharmacy",
        weight=0.08,
        individual_share=0.55,
        industries=("F5251", "F5251", "F5252"),
        individual_suffixes=("药店", "大药房", "药房"),
        enterprise_suffixes=("医药有限公司", "大药房有限公司", "医药连锁有限公司"),
        licence_counts=(0.7, 0.27, 0.03),
        slot_types=((0.0, 0.0, 1.0), (0.6, 0.0, 0.4), (0.3, 0.0, 0.7)),
        food_formats=(1.0, 0.0, 0.0),
        item_probs=(0.9, 0.0, 0.95, 0.0, 0.0, 0.0, 0.0, 0.0),
    ),
    Archetype(
        key="trading",
        weight=0.07,
        individual_share=0.1,
        industries=("F5212", "F5126", "F5121"),
        individual_suffixes=("商行", "批发部"),
        enterprise_suffixes=("商贸有限公司", "贸易有限公司", "商贸有限责任公司"),
        licence_counts=(0.8, 0.17, 0.03),
        slot_types=((0.95, 0.05, 0.0), (0.75, 0.25, 0.0), (0.8, 0.2, 0.0)),
        food_formats=(1.0, 0.0, 0.0),
        revenue_log_mean=6.5,
    ),
    Archetype(
        key="industrial",
        weight=0.07,
        individual_share=0.0,
        industries=("B0610", "C2614", "C2619", "C3140", "C3011", "D4411"),
        individual_suffixes=("加工厂",),
        enterprise_suffixes=(
            "煤业有限责任公司",
            "化工有限公司",
            "冶金有限责任公司",
            "能源有限公司",
            "建材有限公司",
            "热电有限公司",
        ),
        licence_counts=(0.85, 0.15, 0.0),
        slot_types=((1.0, 0.0, 0.0), (1.0, 0.0, 0.0)),
        food_formats=(0.0, 0.0, 1.0),
        employees_log_mean=4.2,
        revenue_log_mean=8.8,
        high_tech_share=0.08,
        town_weights=(0.0, 0.55, 0.45, 0.0, 0.0, 0.0),
        rd_active_share=0.45,
        rd_log_mean=0.6,
        tech_sme_share=0.1,
        specialised_share=0.05,
    ),
    Archetype(
        key="tech",
        weight=0.02,
        individual_share=0.0,
        industries=("I6510", "M7320", "C1491"),
        individual_suffixes=("工作室",),
        enterprise_suffixes=("科技有限公司", "生物科技有限公司", "信息技术有限公司"),
        licence_counts=(0.92, 0.08, 0.0),
        slot_types=((1.0, 0.0, 0.0), (1.0, 0.0, 0.0)),
        food_formats=(0.5, 0.0, 0.5),
        employees_log_mean=3.3,
        revenue_log_mean=7.0,
        high_tech_share=0.35,
        town_weights=(0.3, 0.5, 0.2, 0.0, 0.0, 0.0),
        rd_active_share=0.9,
        rd_log_mean=1.5,
        tech_sme_share=0.45,
        specialised_share=0.12,
    ),
    Archetype(
        key="tea_drinks",
        weight=0.04,
        individual_share=0.95,
        industries=("H6231", "H6239"),
        individual_suffixes=("奶茶店", "茶馆", "饮品店", "咖啡馆"),
        enterprise_suffixes=("饮品有限公司",),
        licence_counts=(0.92, 0.08, 0.0),
        slot_types=((1.0, 0.0, 0.0), (0.8, 0.2, 0.0)),
        food_formats=(0.0, 1.0, 0.0),
        item_probs=(0.25, 0.0, 0.0, 0.15, 0.5, 0.0, 0.0, 0.98),
    ),
    Archetype(
        key="bakery",
        weight=0.03,
        individual_share=0.9,
        industries=("F5222",),
        individual_suffixes=("蛋糕店", "面包坊", "烘焙坊"),
        enterprise_suffixes=("食品有限公司",),
        licence_counts=(0.9, 0.1, 0.0),
        slot_types=((1.0, 0.0, 0.0), (1.0, 0.0, 0.0)),
        food_formats=(0.7, 0.3, 0.0),
    ),
)


MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

# Events: type names, results, and the 说明 texts.
EVENT_TYPES = (
    "日常检查",
    "行政处罚",
    "登记变更",
    "投诉举报",
    "列入经营异常名录",
    "移出经营异常名录",
    "延续",
)
INSPECTION, PENALTY, CHANGE, COMPLAINT, LISTED, DELISTED, RENEWAL = range(7)

INSPECTION_RESULTS = ("符合", "基本符合", "不符合")
PENALTY_SEVERITIES = ("一般", "较重", "严重")
PENALTY_RESULTS = ("已结案", "未结案")
COMPLAINT_RESULTS = ("属实", "不属实")
RENEWAL_RESULTS = ("准予延续", "补正后准予", "不予延续")
CHANGE_KINDS = ("住所变更", "法定代表人变更", "经营范围变更")

INSPECTION_NOTES = ("食品安全日常监督检查", "双随机一公开抽查", "专项检查", "节前安全检查")
PENALTY_NOTES_BY_TYPE = (
    (
        "销售超过保质期食品",
        "从业人员未取得健康证明",
        "未按规定公示许可证",
        "超范围经营",
        "餐饮具未经消毒",
        "未建立进货查验记录",
    ),
    ("向未成年人售烟", "超范围经营", "销售非法渠道卷烟", "未按规定悬挂许可证"),
    ("未凭处方销售处方药", "未按规定储存药品", "执业药师不在岗", "购销记录不全"),
)
COMPLAINT_NOTES = ("食品中有异物", "卫生状况差", "价格不透明", "疑似过期食品", "服务态度差", "扰民")
LISTED_NOTES = ("未依照规定报送年度报告", "通过登记的住所或者经营场所无法联系")
DELISTED_NOTES = ("已补报年度报告并公示", "已更正住所并可联系")
