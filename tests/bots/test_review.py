"""Before submitting, the review page must show every value entered: one the platform dropped or changed is caught."""

from __future__ import annotations

from datetime import date

from bots.forms import not_shown
from bots.profile import load_profile

PROFILE = load_profile("standard")
VALUES = {
    "licence_no": "JY11506240001366",
    "expires_on": date(2026, 8, 29),
    "business_items": ["热食类食品制售", "半成品制售"],
    "remark": "本申请由无感续证系统预填。\n数据来源：市场监管登记（2026-11-20）",
    "credit_code": "92150624may2kdw68l",
    "cite_food_licence": True,
    "warehouse_address": None,
}
NAMES = list(VALUES)
REVIEW = """许可证编号 JY11506240001366
有效期至 2026-08-29
经营项目 热食类食品制售、半成品制售
备注（致审批人员） 本申请由无感续证系统预填。 数据来源：市场监管登记（2026-11-20）
统一社会信用代码 92150624MAY2KDW68L
引用电子证照：食品经营许可证 已勾选
外设仓库地址 （未填写）"""


def test_a_review_page_showing_every_value_passes_whatever_its_spacing_and_letter_case() -> None:
    assert not_shown(REVIEW, PROFILE, VALUES, NAMES) == []


def test_a_changed_value_and_a_dropped_item_are_named_by_their_labels() -> None:
    review = REVIEW.replace("JY11506240001366", "JY11506240001367").replace("、半成品制售", "")

    assert not_shown(review, PROFILE, VALUES, NAMES) == ["许可证编号", "经营项目"]
