"""Every template that becomes HTML (pages, letters, the model's report and its Markdown card, which renders inline
HTML) prints a registry's or a user's text as text: each is rendered with hostile text in every value it receives."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jinja2 import Environment, meta

from agent.console.web import templates as console_templates
from bots.attachments import environment as attachment_environment
from models.report import environment as model_environment
from notifications.letters.template import letter_environment
from sandbox.platform.state import make_templates
from tests.conftest import REPO

HOSTILE = "<script>alert(1)</script>\"'&"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

# Each folder of HTML templates, and the environment the code renders it with. A folder missing here fails the test.
ENVIRONMENTS: dict[str, Callable[[], Environment]] = {
    "agent/console/templates": lambda: console_templates.env,
    "bots/templates": lambda: attachment_environment,
    "models/templates": lambda: model_environment,
    "notifications/templates": letter_environment,
    "sandbox/platform/templates": lambda: make_templates().env,
}
PLAIN_TEXT = (".txt.j2",)  # SMS bodies: never shown as HTML


class Hostile:
    """Whatever a template asks of a value: printed, it is hostile text, and so is everything reached from it."""

    def __str__(self) -> str:
        return HOSTILE

    def __format__(self, spec: str) -> str:
        return HOSTILE

    def __getattr__(self, name: str) -> Hostile:
        if name.startswith("__"):  # no `__html__`: that would declare the text safe
            raise AttributeError(name)
        return Hostile()

    def __getitem__(self, key: object) -> Hostile:
        return Hostile()

    def __call__(self, *args: object, **kwargs: object) -> Hostile:
        return Hostile()

    def __iter__(self) -> Iterator[Hostile]:
        return iter((Hostile(), Hostile()))  # two: a pair can be unpacked, a list has a "last"

    def __len__(self) -> int:
        return 2

    def __float__(self) -> float:
        return 0.5

    def __index__(self) -> int:
        return 2

    def __mul__(self, other: object) -> Hostile:
        return Hostile()

    __rmul__ = __sub__ = __rsub__ = __add__ = __radd__ = __mul__

    def __lt__(self, other: object) -> bool:
        return False

    __gt__ = __le__ = __ge__ = __lt__


class HostileRecord(Hostile):
    """A record whose JSON fields (an audit entry's detail, a case's score reasons) hold hostile text."""

    detail: ClassVar[dict[str, str]] = {"text": HOSTILE}
    reasons = detail


def hostile_strings(value: Any) -> Any:
    """`value` with every string in it (not the keys, which templates look up) replaced by hostile text."""
    if isinstance(value, str):
        return HOSTILE
    if isinstance(value, dict):
        return {key: hostile_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [hostile_strings(item) for item in value]
    return value


def model_metadata() -> dict[str, Any]:
    """A model's metadata as training writes it (the report looks groups up by their keys, so `Hostile` cannot)."""
    split = {"from": "2021-01-04", "to": "2023-12-29", "cases": 812, "approved_as_filed": 0.91}
    seamless = {"cases": 300, "coverage": 0.4, "precision": 0.97}
    row = {"group": "乌兰镇", "cases": 120, "approved_as_filed": 0.9, "mean_score": 0.8, "roc_auc": 0.81}
    groups = {
        name: [
            row | {"brier": 0.1, "seamless_coverage": 0.4, "seamless_precision": 0.9},
            {"group": "个体", "cases": 12},
        ]
        for name in ("township", "type_label", "subject_kind")
    }
    test = {
        "cases": 400,
        "model": {
            "roc_auc": 0.85,
            "pr_auc": 0.9,
            "brier": 0.07,
            "routes": dict.fromkeys(("seamless", "assisted", "remind"), seamless),
        },
        "rule_baseline": {"rule": "近5年无处罚", "roc_auc": 0.7, "seamless": {"coverage": 0.5, "precision": 0.93}},
        "groups": groups,
        "calibration": {"predicted": [0.2, 0.8], "observed": [0.25, 0.75]},
    }
    return {
        "version": "20261125-abc",
        "created_at": "2026-11-25T09:00:00+08:00",
        "label": {
            "name": "approved_as_filed",
            "description": "准予延续",
            "positive": ["approved"],
            "negative": ["returned"],
            "wording": {
                "examples": "续证申请",
                "positive": "准予",
                "examples_en": "renewals",
                "positive_en": "approved",
            },
        },
        "history_words": "history.yaml",
        "data_fingerprint": "f00d",
        "features": ["penalties", "township"],
        "libraries": {"scikit-learn": "1.5"},
        "details": {
            "chosen": "logistic",
            "calibration_method": "isotonic",
            "split": dict.fromkeys(("fit", "calibration", "test"), split),
            "candidates_log_loss": {"logistic": 0.2, "boosting": 0.21},
            "calibration_compared": {
                "sigmoid": {"cv_log_loss": 0.3, "cv_roc_auc": 0.8, "test_roc_auc": 0.79, "test_distinct_scores": 400}
            },
            "threshold_rule": {"confidence": 0.8, "min_support": 30},
            "features_left_out": ["employees"],
        },
        "thresholds": {"seamless": 0.9, "assisted": 0.5, "target_precision": 0.95},
        "evaluation": {"test": test},
    }


# Values that cannot be `Hostile` (looked up by key, unpacked into three, printed as JSON): a realistic value, its
# strings made hostile. Every other value the template takes is `Hostile`.
CONTEXTS: dict[str, Callable[[], dict[str, Any]]] = {
    "models/templates/report.html.j2": lambda: {"meta": hostile_strings(model_metadata())},
    "models/templates/model_card.md.j2": lambda: {"meta": hostile_strings(model_metadata())},
    "agent/console/templates/audit.html.j2": lambda: {"entries": [HostileRecord()]},
    "agent/console/templates/case.html.j2": lambda: {"case": HostileRecord(), "trace": {"text": HOSTILE}},
    "agent/console/templates/dashboard.html.j2": lambda: {"figures": [(Hostile(), Hostile(), Hostile())]},
}


def html_templates() -> list[Path]:
    found = [path for path in REPO.rglob("*.j2") if ".venv" not in path.parts and not path.name.endswith(PLAIN_TEXT)]
    assert found, "no template found: the search is broken"
    return sorted(found)


def folder_of(template: Path) -> str:
    relative = template.relative_to(REPO).as_posix()
    folders = [folder for folder in ENVIRONMENTS if relative.startswith(folder + "/")]
    assert folders, f"{relative}: an HTML template in a folder this test does not know; add its environment"
    return folders[0]


def render(template: Path) -> str:
    folder = folder_of(template)
    env = ENVIRONMENTS[folder]()
    name = template.relative_to(REPO / folder).as_posix()
    relative = template.relative_to(REPO).as_posix()
    context = {variable: Hostile() for variable in variables(env, name)} | CONTEXTS.get(relative, dict)()
    return env.get_template(name).render(context)


def variables(env: Environment, name: str) -> set[str]:
    """The names a template and the templates it extends or imports take from its context."""
    assert env.loader is not None
    parsed = env.parse(env.loader.get_source(env, name)[0])
    found = meta.find_undeclared_variables(parsed)
    for other in meta.find_referenced_templates(parsed):
        found |= variables(env, other) if other else set()
    return found


@pytest.mark.parametrize("template", html_templates(), ids=lambda path: path.relative_to(REPO).as_posix())
def test_hostile_text_in_any_value_prints_as_text(template: Path) -> None:
    html = render(template)

    assert "<script>alert(1)" not in html
    assert HOSTILE not in html  # quotes and & too: a value inside an attribute cannot end it
    if not template.name.startswith("_"):  # a file of macros prints nothing by itself
        assert ESCAPED_SCRIPT in html, "the hostile text never reached the page: the test proves nothing"
