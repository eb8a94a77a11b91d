"""Finding and filling controls the way a person would: by their label, with Playwright's auto-waiting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bots.errors import Permanent, SessionExpired, Transient
from bots.profile import Control, Kind, SiteProfile


def locate(page: Page, control: Control) -> Locator:
    """The control by its label; by its selector when it has no label, or as well when the label is not found."""
    return _found(page, control, page.get_by_label(control.label, exact=True) if control.label else None)


def group(page: Page, control: Control) -> Locator:
    """A radio or checkbox group: a fieldset named by its legend (or the control's selector, as for `locate`)."""
    return _found(page, control, page.get_by_role("group", name=control.label, exact=True) if control.label else None)


def _found(page: Page, control: Control, by_label: Locator | None) -> Locator:
    by_selector = page.locator(control.selector) if control.selector else None
    if by_label is not None and by_selector is not None:
        return by_label.or_(by_selector)
    found = by_label or by_selector
    assert found is not None, "a control has a label or a selector (profile validation)"
    return found


async def fill(page: Page, control: Control, value: Any) -> None:
    if control.kind is Kind.RADIO:
        if value:
            await _choose(control, group(page, control), str(value))
    elif control.kind is Kind.CHECKBOXES:
        await _tick(control, group(page, control), {str(item) for item in value or []})
    elif control.kind is Kind.CHECKBOX:
        await locate(page, control).set_checked(bool(value))
    elif control.kind is Kind.SELECT:
        if value:
            await _select(control, locate(page, control), str(value))
    elif control.kind is Kind.DATE:
        await locate(page, control).fill(value.isoformat() if isinstance(value, date) else str(value or ""))
    else:
        await locate(page, control).fill("" if value is None else str(value))


TICKED = "bs => bs.map(b => [b.labels.length ? b.labels[0].innerText.trim() : '', b.checked])"  # [label, checked]
LOADED = """s => ({
    busy: s.disabled || s.getAttribute('aria-busy') === 'true',
    options: [...s.options].map(o => o.text.trim()),
})"""


async def _choose(control: Control, options: Locator, value: str) -> None:
    try:
        await options.get_by_label(value, exact=True).check()
    except PlaywrightTimeout:  # no such option, or the page is slow: only the first is the data's fault
        offered = [name for name, _ in await options.get_by_role("radio").evaluate_all(TICKED)]
        _refuse_unless_offered(control, value, offered)
        raise


async def _tick(control: Control, boxes: Locator, wanted: set[str]) -> None:
    # One look at the whole group, then a click only where a box must change: a page kept after a refusal may
    # already have some ticked.
    state: list[list[Any]] = await boxes.get_by_role("checkbox").evaluate_all(TICKED)
    labels = [name for name, _ in state]
    for item in sorted(wanted - set(labels)):
        _refuse_unless_offered(control, item, labels)
    for name, ticked in state:
        if (name in wanted) != ticked:
            await boxes.get_by_label(name, exact=True).set_checked(name in wanted)


async def _select(control: Control, select: Locator, value: str) -> None:
    try:
        await select.select_option(label=value)  # waits for options loaded after the page
    except PlaywrightTimeout:
        loaded: dict[str, Any] = await select.evaluate(LOADED)
        if loaded["busy"]:  # still loading, or its request failed: the platform's trouble, not the data's
            raise Transient(f"{control.label or control.selector}: the option list did not load") from None
        _refuse_unless_offered(control, value, loaded["options"])
        raise


def _refuse_unless_offered(control: Control, value: str, offered: list[str]) -> None:
    """A refusal when the control's options were read and lack `value`; no options read means the control was not
    found (another page, a changed layout): that is left to the caller's retry."""
    if offered and value not in offered:
        raise Permanent(f"{control.label or control.selector}: the platform offers no option 「{value}」")


@dataclass(frozen=True)
class Shown:
    """What a page shows, read in one round trip (under a trace every call costs DOM snapshots): its text, its
    headings and the visible alerts."""

    text: str
    headings: list[str]
    alerts: list[str]


SHOWN = """(errors) => ({
    text: document.body.innerText,
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')].map(h => h.innerText.trim()),
    alerts: [...document.querySelectorAll(errors)]
        .filter(a => a.offsetParent !== null).map(a => a.innerText.trim()).filter(t => t),
})"""


async def read_page(page: Page, profile: SiteProfile) -> Shown:
    """The page's text, headings, and the visible messages the profile's `error_selector` finds."""
    shown: dict[str, Any] = await page.evaluate(SHOWN, profile.error_selector)
    return Shown(text=shown["text"], headings=shown["headings"], alerts=shown["alerts"])


async def check_page(page: Page, profile: SiteProfile, shown: Shown | None = None) -> Shown:
    """What the page shows (`shown` when already read); raise the right error when it is the platform's busy page,
    its login page, or shows a refusal."""
    shown = shown or await read_page(page, profile)
    if profile.busy_marker in shown.text:
        raise Transient(f"platform busy: {_first_line(shown.text, profile.busy_marker)}")
    if profile.login.expired_marker in shown.text or page.url.split("?")[0].endswith(profile.login.path):
        raise SessionExpired("the platform session expired")
    if shown.alerts and all(any(word in alert for word in profile.retry_alerts) for alert in shown.alerts):
        raise Transient("the platform reported a passing fault: " + " / ".join(shown.alerts))
    if shown.alerts:
        raise Permanent("the platform refused the data: " + " / ".join(shown.alerts))
    return shown


def not_shown(text: str, profile: SiteProfile, values: dict[str, Any], names: list[str]) -> list[str]:
    """The labels of entered values that a review page's `text` does not show (whitespace and letter case aside:
    platforms tidy both); a value the platform dropped or changed must not be submitted unseen."""
    page = _squeezed(text)
    return [
        profile.fields[name].label or name
        for name in names
        if any(_squeezed(entered) not in page for entered in _as_entered(profile.fields[name], values.get(name)))
    ]


def _as_entered(control: Control, value: Any) -> list[str]:
    if control.kind is Kind.CHECKBOX or not value:
        return []  # a box shows as ticked or not, in the platform's words
    if control.kind is Kind.CHECKBOXES:
        return [str(item) for item in value]
    return [value.isoformat() if isinstance(value, date) else str(value)]


def _squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


def _first_line(text: str, marker: str) -> str:
    return next((line.strip() for line in text.splitlines() if marker in line), marker)


def application_number(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    if not match:
        raise Transient("submitted, but no application number on the success page")
    return match.group(1)
