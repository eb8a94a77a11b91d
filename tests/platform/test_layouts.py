"""The page builds' accessible labels on every step, the alternate build's wording, and the README's label tables
(all three builds)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox.platform.layouts import ALTERNATE, ELEMENT, LAYOUTS, STANDARD, ElementWords, Layout
from tests.platform.conftest import FOOD, SUBSIDY, Portal

README = Path(__file__).resolve().parents[2] / "sandbox" / "platform" / "README.md"
VALUES = {"food_renewal": FOOD, "subsidy": SUBSIDY}


class Controls(HTMLParser):
    """Collects the ids of visible form controls, which ids labels point at, and fieldset legends."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.labels: dict[str, str] = {}
        self.legends: list[str] = []
        self._label_for: str | None = None
        self._in_legend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in {"input", "select", "textarea"} and found.get("type") != "hidden":
            self.ids.append(str(found["id"]))
        self._label_for = str(found["for"]) if tag == "label" else self._label_for
        self._in_legend = self._in_legend or tag == "legend"
        if tag == "legend":
            self.legends.append("")

    def handle_endtag(self, tag: str) -> None:
        self._label_for = None if tag == "label" else self._label_for
        self._in_legend = self._in_legend and tag != "legend"

    def handle_data(self, data: str) -> None:
        if self._label_for:
            self.labels[self._label_for] = self.labels.get(self._label_for, "") + data.strip()
        if self._in_legend and data.strip() != "*":
            self.legends[-1] += data.strip()


def parsed(page: str) -> Controls:
    controls = Controls()
    controls.feed(page)
    return controls


@pytest.fixture(params=["standard", "alternate"])
def layout_portal(request: pytest.FixtureRequest, app: FastAPI) -> Portal:
    app.state.platform.faults.layout = request.param
    portal = Portal(TestClient(app), request.param)
    portal.login()
    return portal


@pytest.mark.parametrize("matter", ["food_renewal", "subsidy"])
def test_every_control_on_every_step_has_its_label(layout_portal: Portal, matter: str) -> None:
    pages = layout_portal.layout.matters[matter]
    confirm = layout_portal.fill(matter, VALUES[matter])
    for number, step in enumerate(pages.steps[:-1], start=1):
        controls = parsed(layout_portal.get(re.sub(r"\d+$", str(number), confirm)).text)
        assert sorted(controls.ids) == sorted(controls.labels), f"step {number}: a control without a label"
        shown = set(controls.labels.values()) | set(controls.legends)
        assert {pages.labels[name] for name in step.fields} <= shown
        assert Counter(controls.labels.values()).most_common(1)[0][1] == 1, f"step {number}: a label text twice"


def test_the_alternate_build_has_its_own_wording(app: FastAPI) -> None:
    app.state.platform.faults.layout = "alternate"
    portal = Portal(TestClient(app), "alternate")
    login = portal.client.get("/login").text
    assert '<label for="username">账号</label>' in login and '<label for="password">口令</label>' in login
    assert ">登 录</button>" in login
    portal.login()
    first = portal.get("/applications/new/food_renewal").text
    for label in ("外部参考号", "许可编号", "原发证机关", "证照有效期至", "经营地址"):
        assert f">{label}</label>" in first or f">{label}</legend>" in first
    assert ">继续</button>" in first and "<h2>许可证信息</h2>" in first
    home = portal.get("/applicant").text
    assert ">输入许可编号或外部参考号</label>" in home and ">检索</button>" in home
    number = portal.submit("food_renewal", FOOD)
    receipt = portal.get(f"/applications/{number}/submitted").text
    assert "<h1>申请已受理</h1>" in receipt and f"受理编号：{number}" in receipt


def readme_rows() -> set[tuple[str, ...]]:
    rows = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            rows.add(tuple(cell.strip().strip("`") for cell in line.strip("|").split("|")))
    return rows


@pytest.mark.parametrize("matter", ["food_renewal", "subsidy"])
def test_the_readme_table_lists_every_field_label(matter: str) -> None:
    rows = readme_rows()
    for name, label in STANDARD.matters[matter].labels.items():
        others = (ALTERNATE.matters[matter].labels[name], ELEMENT.matters[matter].labels[name])
        assert (name, label, *others) in rows, name


def test_the_readme_table_lists_every_word_of_the_layouts() -> None:
    rows = readme_rows()
    for spec in fields(Layout):
        if spec.name not in {"name", "matters", "columns", "element"}:
            words = tuple(getattr(layout, spec.name) for layout in (STANDARD, ALTERNATE, ELEMENT))
            assert (spec.name, *words) in rows, spec.name
    assert set(LAYOUTS) == {"standard", "alternate", "element"}


def test_the_readme_tables_list_the_element_builds_own_words() -> None:
    rows, words = readme_rows(), ELEMENT.element
    assert words is not None
    for spec in fields(ElementWords):
        assert (spec.name, getattr(words, spec.name)) in rows, spec.name
    for pages in ELEMENT.matters.values():
        for name, shown in pages.option_words.items():
            assert all((name, value, word) in rows for value, word in shown.items()), name
        for name, (region, detail) in pages.regions.items():
            assert (name, region, detail) in rows, name
