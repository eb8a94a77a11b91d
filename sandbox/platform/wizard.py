"""Which step of a wizard has problems: pure functions over a layout's steps and the entered data."""

from __future__ import annotations

from collections.abc import Mapping

from sandbox.platform.fields import MATTERS, Value, step_problems
from sandbox.platform.layouts import MatterPages


def problems_of_step(pages: MatterPages, number: int, data: Mapping[str, Value]) -> list[str]:
    """Problems of the fields on step `number` (1-based), and of the rules that end on it."""
    step = pages.steps[number - 1]
    return step_problems(MATTERS[pages.matter], step.fields, pages.earlier_fields(number), data, pages.labels)


def first_unfinished(pages: MatterPages, data: Mapping[str, Value]) -> int | None:
    """The first step that still has problems; None when every step before the confirmation is complete."""
    for number, step in enumerate(pages.steps, start=1):
        if not step.confirms and problems_of_step(pages, number, data):
            return number
    return None
