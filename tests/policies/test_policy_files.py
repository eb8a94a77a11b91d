"""A policy file that cannot be used is refused with its file, line and reason; the other policies still load."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from domain.policies.loading import load_policies, load_policy
from ground.yaml_files import YamlFileError
from tests.policies.conftest import SHIPPED, write

GOOD = """
id: {id}
title: 测试奖励
department: 测试局
category: 认定评定类
area: 科技创新
reference: 测试依据
effective: {{from: 2024-01-01}}
period: year
parameters:
  award:
    - {{from: 2024-01-01, value: 1000, reference: 第一条}}
conditions:
  - {{attribute: kind, op: eq, value: enterprise}}
amount: {{fixed: {{param: award}}}}
"""


def refusal(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, "broken.yaml", text)
    with pytest.raises(YamlFileError) as raised:
        load_policy(path)
    return str(raised.value)


def test_a_good_file_loads_with_a_version_that_changes_with_its_text(tmp_path: Path) -> None:
    first = load_policy(write(tmp_path, "a.yaml", GOOD.format(id="a")))
    second = load_policy(write(tmp_path, "b.yaml", GOOD.format(id="a").replace("1000", "2000")))
    assert first.id == "a" and first.value_on("award", date(2025, 1, 1)).value == 1000  # type: ignore[union-attr]
    assert len(first.version) == 12 and first.version != second.version


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("attribute: kind", "attribute: knid"), 13, "unknown attribute 'knid'"),
        (("{param: award}", "{param: reward}"), 14, "parameter 'reward' is not defined"),
        (("op: eq, value: enterprise", "op: ge, value: enterprise"), 13, "use one of"),
        (("op: eq, value: enterprise", "op: eq, value: 5"), 13, "needs a text"),
        (("category: 认定评定类", "category: 其他"), 4, "category"),
        (("effective: {from: 2024-01-01}", "effective: {from: 2024-13-01}"), 7, "not a valid value"),
        (("amount: {fixed: {param: award}}", "amount: {formula: __import__('os').system('x')}"), 14, "only numbers"),
        (("amount: {fixed: {param: award}}", "amount: {formula: award * revenue}"), 14, "neither numeric"),
        (("amount: {fixed: {param: award}}", "amount: {fixed: 1, formula: award}"), 14, "exactly one of"),
    ],
)
def test_a_bad_file_names_its_line_and_reason(tmp_path: Path, change: tuple[str, str], line: int, words: str) -> None:
    text = GOOD.format(id="broken")
    assert change[0] in text
    message = refusal(tmp_path, text.replace(*change))
    assert "broken.yaml" in message and f"line {line}:" in message and words in message, message


def test_overlapping_dated_values_are_refused_on_the_parameter(tmp_path: Path) -> None:
    text = GOOD.format(id="broken").replace(
        "    - {from: 2024-01-01, value: 1000, reference: 第一条}",
        "    - {from: 2024-01-01, to: 2025-06-30, value: 1000, reference: 第一条}\n"
        "    - {from: 2025-06-01, value: 1500, reference: 第二条}",
    )
    message = refusal(tmp_path, text)
    assert "line 11:" in message and "dated values overlap" in message and "2025-06-01" in message, message


def test_values_of_two_kinds_in_one_parameter_are_refused(tmp_path: Path) -> None:
    text = GOOD.format(id="broken").replace(
        "    - {from: 2024-01-01, value: 1000, reference: 第一条}",
        "    - {from: 2024-01-01, to: 2024-12-31, value: 1000, reference: 第一条}\n"
        "    - {from: 2025-01-01, value: 一千, reference: 第二条}",
    )
    assert "of one kind" in refusal(tmp_path, text)


def test_not_yaml_names_the_line(tmp_path: Path) -> None:
    message = refusal(tmp_path, GOOD.format(id="broken").replace("period: year", "period: [year"))
    assert "not valid YAML" in message and "line" in message


def test_one_broken_file_is_left_out_and_the_others_load(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(SHIPPED, folder)
    write(folder, "broken.yaml", GOOD.format(id="broken").replace("attribute: kind", "attribute: knid"))
    write(folder, "misnamed.yaml", GOOD.format(id="other_name"))
    loaded = load_policies(folder)
    assert set(loaded.policies) == {p.stem for p in SHIPPED.glob("*.yaml")}
    assert len(loaded.errors) == 2
    assert any("broken.yaml: line 13:" in e and "knid" in e for e in loaded.errors)
    assert any("misnamed.yaml" in e and "must match the file name" in e for e in loaded.errors)


def test_an_exclusion_naming_a_policy_that_is_not_loaded_is_a_warning(tmp_path: Path) -> None:
    text = GOOD.format(id="lonely") + "exclusions: {mutually_exclusive_with: [nowhere]}\n"
    write(tmp_path, "lonely.yaml", text)
    loaded = load_policies(tmp_path)
    assert set(loaded.policies) == {"lonely"} and not loaded.errors
    assert loaded.warnings and "nowhere" in loaded.warnings[0]


def test_a_missing_folder_is_an_error_not_an_empty_success(tmp_path: Path) -> None:
    loaded = load_policies(tmp_path / "nowhere")
    assert not loaded.policies and "does not exist" in loaded.errors[0]
