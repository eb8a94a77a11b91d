"""Routing a renewal: the legal rules in their order win over the score; the score routes the rest by the
thresholds; a type the platform does not file online is never seamless."""

from __future__ import annotations

import numpy as np
import pandas as pd

from domain.routing.rules import OFFLINE_RULE, Thresholds, decide_routes, hard_rules, routes_for

THRESHOLDS = Thresholds(seamless=0.9, assisted=0.5, target_precision=0.98)


def standing(rows: int, **columns: list[object]) -> pd.DataFrame:
    """`rows` licences in good standing, with a mobile, except where `columns` say otherwise."""
    good = {
        "licence_status": "valid",
        "subject_status": "active",
        "serious_violation_list": False,
        "open_penalties": 0,
        "has_mobile": 1,
        "licence_type": "food_business",
    }
    return pd.DataFrame({name: [value] * rows for name, value in good.items()} | columns)


def test_hard_rules_override_in_order_and_leave_the_rest_to_the_score() -> None:
    targets = pd.DataFrame(
        {
            "licence_status": ["revoked", "valid", "valid", "valid", "valid", "cancelled"],
            "subject_status": ["active", "deregistered", "active", "active", "active", "active"],
            "serious_violation_list": [False, False, True, False, False, True],
            "open_penalties": [1, 0, 0, 2, 0, 0],
            "has_mobile": [1, 1, 0, 1, 1, 1],
        }
    )

    rules = hard_rules(targets)

    assert list(rules["route"].fillna("-")) == ["none", "none", "remind", "remind", "-", "none"]
    assert list(rules["rule"].fillna("-")) == [
        "许可证已被吊销",
        "经营主体已注销",
        "列入严重违法失信名单，不适用无感续证",
        "有未结案的行政处罚，不适用无感续证",
        "-",
        "许可证已注销",
    ]
    no_phone = hard_rules(standing(6, has_mobile=[0] * 6))
    assert set(no_phone["route"]) == {"assisted"}, "nobody can be reached without a mobile: a person helps"


def test_routes_follow_the_thresholds_and_an_unset_seamless_threshold_routes_nobody_seamless() -> None:
    scores = np.array([0.95, 0.9, 0.7, 0.2])
    assert list(routes_for(scores, THRESHOLDS)) == ["seamless", "seamless", "assisted", "remind"]
    unset = Thresholds(seamless=None, assisted=0.5, target_precision=0.98)
    assert list(routes_for(np.array([0.999, 0.6, 0.1]), unset)) == ["assisted", "assisted", "remind"]


def test_a_hard_rule_wins_over_the_highest_score() -> None:
    scored = standing(2, open_penalties=[1, 0], score=[0.99, 0.99])

    decided = decide_routes(scored, THRESHOLDS)

    assert list(decided["route"]) == ["remind", "seamless"]
    assert list(decided["rule"].fillna("-")) == ["有未结案的行政处罚，不适用无感续证", "-"]


def test_a_type_not_filed_online_goes_assisted_instead_of_seamless_and_says_why() -> None:
    scored = standing(3, licence_type=["drug_retail", "drug_retail", "food_business"], score=[0.95, 0.6, 0.95])

    decided = decide_routes(scored, THRESHOLDS, frozenset({"drug_retail"}))

    assert list(decided["route"]) == ["assisted", "assisted", "seamless"]
    assert list(decided["rule"].fillna("-")) == [OFFLINE_RULE, "-", "-"], "only a would-be seamless case says why"
