"""The departments file: every matter the bots file has a department that decides it (and a subsidy its promise),
one the policy itself names; a file naming a department it does not list is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.chasing.departments import DEFAULT_FILE, load_departments
from domain.licence_types import load_licence_types
from domain.policies.loading import load_policies
from ground.settings import PolicySettings
from ground.yaml_files import YamlFileError

DEPARTMENTS = load_departments()


def test_every_type_filed_online_has_an_approving_department() -> None:
    online = {code for code, kind in load_licence_types().items() if kind.files_online}
    assert online <= set(DEPARTMENTS.renewals)


def test_every_policy_is_decided_by_a_department_it_names() -> None:
    policies = load_policies(PolicySettings().folder).policies
    assert set(policies) == set(DEPARTMENTS.subsidies)
    for policy_id, matter in DEPARTMENTS.subsidies.items():
        assert DEPARTMENTS.departments[matter.department].name in policies[policy_id].department, policy_id


def test_a_matter_of_an_unlisted_department_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    path = tmp_path / "departments.yaml"
    path.write_text(text.replace("food_business: market", "food_business: markets"), encoding="utf-8")
    with pytest.raises(YamlFileError, match=r"not listed under 'departments': \['markets'\]"):
        load_departments(path)
