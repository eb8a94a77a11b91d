"""What templates show: a step's controls grouped in blocks, and summaries of entered values by step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sandbox.platform.db import Application
from sandbox.platform.fields import Kind, Matter, Value, display, value_of
from sandbox.platform.layouts import STATUS_APPROVED, STATUS_RETURNED, MatterPages, Step


@dataclass(frozen=True)
class Choice:
    value: str
    id: str
    checked: bool


@dataclass(frozen=True)
class Control:
    name: str
    kind: str
    label: str
    id: str
    value: str
    required: bool
    choices: tuple[Choice, ...]
    source: str


@dataclass(frozen=True)
class Block:
    legend: str | None  # controls sharing a legend sit in one fieldset
    controls: tuple[Control, ...]


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[tuple[str, str], ...]


def opinion(application: Application) -> str:
    """The approver's decision as the applicant's list shows it."""
    if application.status == STATUS_APPROVED:
        return "通过"
    return f"退回：{application.return_reason}" if application.status == STATUS_RETURNED else "—"


def control(matter: Matter, pages: MatterPages, name: str, value: Value) -> Control:
    spec, label, element_id = matter.field(name), pages.labels[name], f"f-{name}"
    if spec.kind is Kind.CHECKBOX:
        only = (Choice("on", element_id, value is True),)
        return Control(name, spec.kind.value, label, element_id, "on", spec.required, only, "")
    picked = value if isinstance(value, list) else [str(value)]
    listed = () if spec.kind is Kind.REMOTE_SELECT else spec.options  # a script loads those from `source`
    choices = tuple(Choice(o, f"{element_id}-{i}", o in picked) for i, o in enumerate(listed, start=1))
    text = value if isinstance(value, str) else ""
    return Control(name, spec.kind.value, label, element_id, text, spec.required, choices, spec.source)


def step_blocks(matter: Matter, pages: MatterPages, step: Step, data: Mapping[str, Value]) -> list[Block]:
    """The step's controls in order; neighbours that share a group legend are put in one block."""
    blocks: list[Block] = []
    for name in step.fields:
        item = control(matter, pages, name, value_of(matter, data, name))
        legend = pages.groups.get(name)
        if blocks and legend and blocks[-1].legend == legend:
            blocks[-1] = Block(legend, (*blocks[-1].controls, item))
        else:
            blocks.append(Block(legend, (item,)))
    return blocks


def summary(matter: Matter, pages: MatterPages, data: Mapping[str, Value]) -> list[Section]:
    """Every entered value under its step's title, with the layout's labels and option words."""
    return [
        Section(step.title, tuple((pages.labels[n], shown(matter, pages, data, n)) for n in step.fields))
        for step in pages.steps
        if not step.confirms
    ]


def shown(matter: Matter, pages: MatterPages, data: Mapping[str, Value], name: str) -> str:
    """A field's value as the build shows it (in its option words, where it has any)."""
    value = value_of(matter, data, name)
    return display(pages.shown(name, value) if isinstance(value, str) else value)
