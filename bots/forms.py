"""Finding and filling controls the way a person would: by their label, with Playwright's auto-waiting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bots.errors import Misfit, Permanent, SessionExpired, Transient
from bots.profile import Control, Kind, SiteProfile


def exactly(text: str) -> re.Pattern[str]:
    """Text that reads exactly so, spacing at its ends aside (as `exact=True` does for labels)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def described(profile: SiteProfile, control: Control) -> str:
    """How a control is looked for, for a misfit's evidence."""
    where = f"label 「{control.label}」" if control.label else ""
    if control.label and profile.form_items:
        where += f" in {profile.form_items.item} > {profile.form_items.label}"
    return " or ".join(filter(None, [where, control.selector]))


def form_item(page: Page, profile: SiteProfile, label: str) -> Locator:
    """The visible form item whose own label reads `label` (a label beside its input, not tied to it)."""
    items = profile.form_items
    assert items is not None
    return page.locator(f"{items.item}:visible").filter(has=page.locator(items.label).filter(has_text=exactly(label)))


def locate(page: Page, profile: SiteProfile, control: Control) -> Locator:
    """The control by its label; by its selector when it has no label, or as well when the label is not found.
    With `form_items`, the label is the form item's and the control the input (or select) in that item."""
    if control.label and profile.form_items:
        by_label: Locator | None = form_item(page, profile, control.label).locator("input, textarea, select").first
    else:
        by_label = page.get_by_label(control.label, exact=True) if control.label else None
    return _found(page, control, by_label)


def group(page: Page, profile: SiteProfile, control: Control) -> Locator:
    """A radio or checkbox group: a fieldset named by its legend, or the form item so labelled (or the control's
    selector, as for `locate`)."""
    if control.label and profile.form_items:
        return _found(page, control, form_item(page, profile, control.label))
    return _found(page, control, page.get_by_role("group", name=control.label, exact=True) if control.label else None)


def _found(page: Page, control: Control, by_label: Locator | None) -> Locator:
    by_selector = page.locator(control.selector) if control.selector else None
    if by_label is not None and by_selector is not None:
        return by_label.or_(by_selector)
    found = by_label or by_selector
    assert found is not None, "a control has a label or a selector (profile validation)"
    return found


async def present(
    page: Page, profile: SiteProfile, found: Locator, step: str, selector: str, visible: bool, login: bool = False
) -> None:
    """Wait for `found` on a page that has loaded; when it does not come, the page is checked first (the busy
    page, the login page, a refusal are the platform's answers), and otherwise the profile does not fit. On the
    `login` page itself only the busy page is an answer."""
    try:
        await found.first.wait_for(state="visible" if visible else "attached")
    except PlaywrightTimeout:
        if login:
            shown = await read_page(page, profile)
            if profile.busy_marker in shown.text:
                raise Transient(f"platform busy: {_first_line(shown.text, profile.busy_marker)}") from None
        else:
            await check_page(page, profile)
        raise Misfit(step, selector) from None


async def fill_native(page: Page, profile: SiteProfile, control: Control, value: Any, where: str) -> None:
    """Fill a native control with our `value` (in the platform's words where the profile maps them)."""
    grouped = control.kind in (Kind.RADIO, Kind.CHECKBOXES)
    found = group(page, profile, control) if grouped else locate(page, profile, control)
    await present(page, profile, found, where, described(profile, control), visible=profile.form_items is not None)
    if control.kind is Kind.RADIO:
        if value:
            await _choose(control, found, control.shown(str(value)))
    elif control.kind is Kind.CHECKBOXES:
        await _tick(control, found, {control.shown(str(item)) for item in value or []})
    elif control.kind is Kind.CHECKBOX:
        await found.set_checked(bool(value))
    elif control.kind is Kind.SELECT:
        if value:
            await _select(control, found, control.shown(str(value)))
    elif control.kind is Kind.DATE:
        await found.fill(value.isoformat() if isinstance(value, date) else str(value or ""))
    else:
        await found.fill("" if value is None else str(value))


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
        refuse_unless_offered(control, value, offered)
        raise


async def _tick(control: Control, boxes: Locator, wanted: set[str]) -> None:
    # One look at the whole group, then a click only where a box must change: a page kept after a refusal may
    # already have some ticked.
    state: list[list[Any]] = await boxes.get_by_role("checkbox").evaluate_all(TICKED)
    labels = [name for name, _ in state]
    for item in sorted(wanted - set(labels)):
        refuse_unless_offered(control, item, labels)
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
        refuse_unless_offered(control, value, loaded["options"])
        raise


def refuse_unless_offered(control: Control, value: str, offered: list[str]) -> None:
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
        .filter(a => a.getClientRects().length > 0).map(a => a.innerText.trim()).filter(t => t),
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
    if control.kind is Kind.UPLOAD:  # listed by the name it was sent under
        return [value.name] if isinstance(value, Path) else []
    if control.kind is Kind.CHECKBOXES:
        return [control.shown(str(item)) for item in value]
    if control.kind is Kind.CASCADER:
        return [control.rest(str(value))]
    return [value.isoformat() if isinstance(value, date) else control.shown(str(value))]


def _squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


def _first_line(text: str, marker: str) -> str:
    return next((line.strip() for line in text.splitlines() if marker in line), marker)


def application_number(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    if not match:
        raise Transient("submitted, but no application number on the success page")
    return match.group(1)
