"""What the Element build's pages and scripts are given: a wizard as steps of form items, the list's columns and
rows, an application's standing.

A Vue front end renders its forms from component definitions, so the pages carry this as data and the scripts
draw Element's markup from it (static/element/). Words come from the layout; the values are the accepted values,
shown in the layout's option words.
"""

from __future__ import annotations

from typing import Any

from sandbox.platform.db import Application
from sandbox.platform.fields import MATTERS, Kind
from sandbox.platform.layouts import (
    STATUS_APPROVED,
    STATUS_PENDING,
    STATUS_RETURNED,
    ElementWords,
    Layout,
    MatterPages,
    Step,
)
from sandbox.platform.views import Block, Control, opinion, step_blocks
from sandbox.platform.vocab import REGIONS

Item = dict[str, Any]  # an el-form-item: its label, whether it is required, and its controls
STATUS_TAGS = {STATUS_PENDING: "warning", STATUS_APPROVED: "success", STATUS_RETURNED: "danger"}  # el-tag types

# The list's columns as el-table-column props, in the order of the layout's `columns`.
COLUMN_PROPS = (
    "applicationNo",
    "reference",
    "licenceNo",
    "matterName",
    "status",
    "submittedAt",
    "opinion",
    "decidedAt",
)


def wizard_config(layout: Layout, words: ElementWords, pages: MatterPages, code: str) -> dict[str, Any]:
    return {
        "code": code,
        "steps": [{"title": step.title, "items": step_items(pages, step)} for step in pages.steps],
        "regions": REGIONS if pages.regions else {},
        "buttons": {"prev": layout.prev_button, "next": layout.next_button, "submit": layout.submit_button},
        "confirm": {
            "title": words.confirm_title,
            "message": words.confirm_message,
            "ok": words.confirm_button,
            "cancel": words.cancel_button,
        },
        "result": {"title": layout.success_heading, "number": layout.number_label, "link": words.result_link},
    }


def step_items(pages: MatterPages, step: Step) -> list[Item]:
    """The step's form items: a group of check boxes is one item under its legend, a single check box an item
    without a label (its text is the label), an address entered by region two items that post one value."""
    items: list[Item] = []
    for block in step_blocks(MATTERS[pages.matter], pages, step, {}):
        if block.legend:
            items.append(_item(block.legend, block))
        else:
            items += [item for c in block.controls for item in _control_items(pages, c)]
    return items


def _item(label: str, block: Block) -> Item:
    controls = [_control(c.name, c.kind, c.label, c.required) for c in block.controls]
    return {"label": label, "required": any(c.required for c in block.controls), "controls": controls}


def _control_items(pages: MatterPages, c: Control) -> list[Item]:
    if c.name in pages.regions:
        parts = zip(("cascader", Kind.TEXT.value), pages.regions[c.name], strict=True)
        return [
            {"label": label, "required": c.required, "controls": [_control(c.name, kind, label, c.required)]}
            for kind, label in parts
        ]
    options = [{"value": o.value, "label": pages.shown(c.name, o.value)} for o in c.choices]
    control = _control(c.name, c.kind, c.label, c.required, options, c.source)
    return [{"label": "" if c.kind == Kind.CHECKBOX else c.label, "required": c.required, "controls": [control]}]


def _control(
    name: str, kind: str, label: str, required: bool, options: list[dict[str, str]] | None = None, source: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "kind": kind,
        "label": label,
        "required": required,
        "options": options or [],
        "source": source,
    }


def list_config(layout: Layout) -> dict[str, Any]:
    columns = [{"label": label, "prop": prop} for label, prop in zip(layout.columns, COLUMN_PROPS, strict=True)]
    return {"columns": columns, "statusTags": STATUS_TAGS}


def list_row(layout: Layout, words: ElementWords, a: Application) -> dict[str, str]:
    decided = a.decided_at.strftime(words.time_format) if a.decided_at else "—"
    cells = (
        a.application_no,
        a.reference,
        a.licence_no or "—",
        layout.matters[a.matter].name,
        a.status,
        a.submitted_at.strftime(words.time_format),
        opinion(a),
        decided,
    )
    return dict(zip(COLUMN_PROPS, cells, strict=True))


def facts(layout: Layout, words: ElementWords, a: Application) -> list[tuple[str, str]]:
    """An application's standing as its details page lists it: the list's columns, then the promised date."""
    return [
        *zip(layout.columns, list_row(layout, words, a).values(), strict=True),
        ("承诺时限", a.promised_by.isoformat()),
    ]
