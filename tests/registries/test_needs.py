"""What a mapping leaves the later steps without, said by `registry check` before anything is loaded."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.registries.connectors import LINE
from domain.registries.mapping import load_mapping
from domain.registries.needs import NEEDS, attributes_filled, unmet_needs
from domain.registries.normalise import normalise
from domain.registries.schema import TARGETS


@pytest.mark.parametrize("target", sorted(NEEDS))
def test_every_need_is_an_optional_field_of_its_export(target: str) -> None:
    fields = {field.name: field for field in TARGETS[target].fields}
    for name, _ in NEEDS[target]:
        assert name in fields and not fields[name].required, f"{target}.{name}"


def test_the_county_exports_meet_every_need_and_a_us_one_says_what_it_lacks() -> None:
    assert [unmet_needs(load_mapping(name)) for name in ("county_licences", "county_events")] == [[], []]

    lacking = dict(unmet_needs(load_mapping("chicago_business_licenses")))
    assert "mobile" in lacking and lacking["mobile"].startswith("SMS to holders")


def test_the_check_counts_the_rows_that_fill_each_typed_attribute() -> None:
    mapping = load_mapping("county_events")
    raw = pd.DataFrame(
        {
            LINE: [2, 3, 4],
            "许可证编号": ["JY11506240000001"] * 3,
            "统一社会信用代码": [""] * 3,
            "事件类型": ["日常检查", "日常检查", "行政处罚"],
            "事件日期": ["2025-01-02", "2025-03-04", "2025-05-06"],
            "结果": ["不符合", "符合", "已结案"],
            "严重程度": ["", "", "一般"],
            "说明": [""] * 3,
            "不符合项数": ["3", "0", ""],
        }
    )

    rows = normalise(raw, mapping, {}).rows

    assert attributes_filled(mapping, rows) == [("nonconformities", "number", 2)]
