"""What a mapping leaves the later steps without, said by `registry check` before anything is loaded."""

from __future__ import annotations

import pytest

from domain.registries.mapping import load_mapping
from domain.registries.needs import NEEDS, unmet_needs
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
