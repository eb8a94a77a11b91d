"""Finding and filling controls the way a person would: by their label, with Playwright's auto-waiting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from playwright.async_api import Locator, Page

from bots.errors import Permanent, SessionExpired, Transient
from bots.profile import Control, Kind, SiteProfile


def locate(page: Page, control: Control) -> Locator:
    if control.label:
        return page.get_by_label(control.label, exact=True)
    assert control.selector is not None
    return page.locator(control.selector)


def group(page: Page, control: Control) -> Locator:
    """A radio or checkbox group: a fieldset named by its legend."""
    if control.label:
        return page.get_by_role("group", name=control.label, exact=True)
    assert control.selector is not None
    return page.locator(control.selector)


async def fill(page: Page, control: Control, value: Any) -> None:
    if control.kind is Kind.RADIO:
        if value:
            await group(page, control).get_by_label(str(value), exact=True).check()
    elif control.kind is Kind.CHECKBOXES:
        boxes = group(page, control)
        wanted = set(value or [])
        # One look at the whole group, then a click only where a box must change: a page kept after a refusal
        # may already have some ticked.
        state: list[list[Any]] = await boxes.get_by_role("checkbox").evaluate_all(
            "bs => bs.map(b => [b.labels.length ? b.labels[0].innerText.trim() : '', b.checked])"
        )
        for name, checked in state:
            if (name in wanted) != checked:
                await boxes.get_by_label(name, exact=True).set_checked(name in wanted)
    elif control.kind is Kind.CHECKBOX:
        await locate(page, control).set_checked(bool(value))
    elif control.kind is Kind.SELECT:
        if value:
            await locate(page, control).select_option(label=str(value))  # waits for options loaded after the page
    elif control.kind is Kind.DATE:
        await locate(page, control).fill(value.isoformat() if isinstance(value, date) else str(value or ""))
    else:
        await locate(page, control).fill("" if value is None else str(value))


@dataclass(frozen=True)
class Shown:
    """What a page shows, read in one round trip (under a trace every call costs DOM snapshots): its text, its
    headings and the visible alerts."""

    text: str
    headings: list[str]
    alerts: list[str]


SHOWN = """() => ({
    text: document.body.innerText,
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')].map(h => h.innerText.trim()),
    alerts: [...document.querySelectorAll('[role=alert]')]
        .filter(a => a.offsetParent !== null).map(a => a.innerText.trim()).filter(t => t),
})"""


async def read_page(page: Page) -> Shown:
    shown: dict[str, Any] = await page.evaluate(SHOWN)
    return Shown(text=shown["text"], headings=shown["headings"], alerts=shown["alerts"])


async def check_page(page: Page, profile: SiteProfile, shown: Shown | None = None) -> Shown:
    """What the page shows (`shown` when already read); raise the right error when it is the platform's busy page,
    its login page, or shows a refusal."""
    shown = shown or await read_page(page)
    if profile.busy_marker in shown.text:
        raise Transient(f"platform busy: {_first_line(shown.text, profile.busy_marker)}")
    if profile.login.expired_marker in shown.text or page.url.split("?")[0].endswith(profile.login.path):
        raise SessionExpired("the platform session expired")
    if shown.alerts and all(any(word in alert for word in profile.retry_alerts) for alert in shown.alerts):
        raise Transient("the platform reported a passing fault: " + " / ".join(shown.alerts))
    if shown.alerts:
        raise Permanent("the platform refused the data: " + " / ".join(shown.alerts))
    return shown


def _first_line(text: str, marker: str) -> str:
    return next((line.strip() for line in text.splitlines() if marker in line), marker)


def application_number(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    if not match:
        raise Transient("submitted, but no application number on the success page")
    return match.group(1)
