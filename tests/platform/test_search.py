"""我的申请: exact search by licence number or reference, newest first."""

from __future__ import annotations

import pytest

from tests.platform.conftest import FOOD, SUBSIDY, Clock, Portal


@pytest.fixture
def numbers(portal: Portal, clock: Clock) -> list[str]:
    first = portal.submit("food_renewal", FOOD)
    clock.advance(60)
    second = portal.submit("food_renewal", {**FOOD, "reference": "CASE-0002", "licence_no": "JY11506240099999"})
    clock.advance(60)
    return [first, second, portal.submit("subsidy", SUBSIDY)]


def listed(portal: Portal, query: str) -> list[str]:
    page = portal.get(f"/applicant?q={query}").text
    return [part.split('"')[0] for part in page.split('data-application-no="')[1:]]


def test_an_empty_query_lists_all_newest_first(portal: Portal, numbers: list[str]) -> None:
    assert listed(portal, "") == numbers[::-1]


def test_it_finds_by_licence_number(portal: Portal, numbers: list[str]) -> None:
    assert listed(portal, "JY11506240099999") == [numbers[1]]


def test_it_finds_by_reference(portal: Portal, numbers: list[str]) -> None:
    assert listed(portal, "SUB-0001") == [numbers[2]]
    assert listed(portal, " CASE-0001 ") == [numbers[0]]


def test_a_partial_value_does_not_match(portal: Portal, numbers: list[str]) -> None:
    assert listed(portal, "JY115062400") == []
    assert "暂无记录" in portal.get("/applicant?q=JY115062400").text
