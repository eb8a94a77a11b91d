"""Every shipped policy has YAML test cases, and every case passes; a wrong expectation is reported as failing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from domain.policies.loading import load_policies
from domain.policies.policy_tests import Result, case_files, run_case_file
from tests.policies.conftest import SHIPPED

LOADED = load_policies(SHIPPED)
RESULTS = [result for path in case_files(SHIPPED) for result in run_case_file(path, LOADED.policies)]


def test_the_starter_list_loads_whole_with_tests_for_each() -> None:
    assert not LOADED.errors and not LOADED.warnings
    assert len(LOADED.policies) >= 8
    assert {p.category for p in LOADED.policies.values()} >= {"认定评定类", "税务类"}
    assert {p.area for p in LOADED.policies.values()} >= {"科技创新", "金融服务", "文化旅游", "人才就业"}
    tested = {result.policy_id for result in RESULTS}
    assert tested == set(LOADED.policies)
    assert all(sum(r.policy_id == p for r in RESULTS) >= 4 for p in LOADED.policies)


@pytest.mark.parametrize("result", RESULTS, ids=[result.label for result in RESULTS])
def test_policy_case(result: Result) -> None:
    assert result.passed, f"{result.file}: {result.name}: found {result.found}"


def test_a_case_whose_expectation_is_wrong_fails(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(SHIPPED, folder)
    cases = folder / "tests" / "loan_interest_subsidy.yaml"
    cases.write_text(cases.read_text(encoding="utf-8").replace("amount_yuan: 30000}", "amount_yuan: 20000}"), "utf-8")
    results = run_case_file(cases, load_policies(folder).policies)
    wrong = [r for r in results if not r.passed]
    assert [r.name for r in wrong] == ["2026年度贷款按1.5%贴息"]
    assert all(r.found == "30000元" for r in wrong)


def test_a_case_file_for_a_policy_that_is_not_loaded_fails(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    path = tmp_path / "tests" / "ghost.yaml"
    shutil.copy(SHIPPED / "tests" / "tech_sme_award.yaml", path)
    [result] = run_case_file(path, {})
    assert not result.passed and "not loaded" in result.found
