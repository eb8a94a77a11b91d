"""Which build answers a URL: the page builds (standard, alternate) and the Element build have their own applicant
URLs, and each is not found on the other, so that a site profile written for one cannot pass on the other."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from sandbox.platform.layouts import NOT_FOUND_MESSAGE, ElementWords
from sandbox.platform.pages import PageError
from sandbox.platform.state import StateDep


def page_build(state: StateDep) -> None:
    if state.layout.element is not None:
        raise PageError(404, NOT_FOUND_MESSAGE)


def element_build(state: StateDep) -> ElementWords:
    if state.layout.element is None:
        raise PageError(404, NOT_FOUND_MESSAGE)
    return state.layout.element


PAGE_BUILD = [Depends(page_build)]
ElementDep = Annotated[ElementWords, Depends(element_build)]
