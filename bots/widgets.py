"""Filling a field: native controls as `bots.forms` fills them, and the widgets front ends draw (Vue + Element and
the like) the way a person works them — open the read-only input, pick in the list or panel appended to <body>,
click the visible label — then read back what the widget shows. Where the parts are is the profile's `widgets`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bots.errors import Permanent, Transient
from bots.forms import (
    TICKED,
    check_page,
    described,
    exactly,
    fill_native,
    group,
    locate,
    present,
    refuse_unless_offered,
)
from bots.profile import Control, Kind, SiteProfile, Widget

MOST_DECADES = 20  # a date picker's year table is turned at most this many times towards the year
# A choice's state, whatever draws it: its native input's, else its ARIA state, else Element's class.
CHECKED = """c => {
    const input = c.querySelector('input');
    if (input) return input.checked;
    return c.getAttribute('aria-checked') === 'true' || c.classList.contains('is-checked');
}"""


async def fill(page: Page, profile: SiteProfile, name: str, value: Any, step: str) -> None:
    """Fill field `name` with our `value`; `step` says where, for a misfit's evidence."""
    control = profile.fields[name]
    where = f"{step}, field {name}"
    if control.kind is Kind.UPLOAD:  # the same for a plain file input and a script's upload: the input takes it
        await _upload(page, profile, control, value, where)
        return
    if control.widget is Widget.NATIVE:
        await fill_native(page, profile, control, value, where)
        return
    if control.kind is Kind.CHECKBOX:  # a single box: its own text is its label
        await _tick_one(page, profile, control, bool(value), where)
        return
    grouped = control.kind in (Kind.RADIO, Kind.CHECKBOXES)
    found = group(page, profile, control) if grouped else locate(page, profile, control)
    await present(page, profile, found, where, described(profile, control), visible=True)
    if control.kind is Kind.RADIO:
        if value:
            await _choose(profile, control, found, control.shown(str(value)))
    elif control.kind is Kind.CHECKBOXES:
        await _tick(profile, control, found, {control.shown(str(item)) for item in value or []})
    elif control.kind is Kind.SELECT:
        if value:
            await _select(page, profile, control, found, control.shown(str(value)))
    elif control.kind is Kind.DATE:
        if value:
            await _pick_date(
                page, profile, control, found, value if isinstance(value, date) else date.fromisoformat(value)
            )
    elif control.kind is Kind.CASCADER:
        await _cascade(page, profile, control, found, str(value or ""), where)
    else:
        await found.fill("" if value is None else str(value))


CLOSED = "sel => [...document.querySelectorAll(sel)].every(p => p.getClientRects().length === 0)"


async def _closed(page: Page, profile: SiteProfile) -> None:
    """Until no list or panel is open: one still fading out would take the next click meant for an input. Waited
    for before a widget is opened, not after one is closed: the fade then runs while the next fields are filled."""
    await page.wait_for_function(CLOSED, arg=profile.widgets.popper, polling=50)  # not every frame: traced


async def _read_back(control: Control, found: Locator, expected: str) -> None:
    shown = await found.input_value()
    if "".join(expected.split()) not in "".join(shown.split()):
        raise Permanent(f"{control.label or control.selector}: the platform shows 「{shown}」, not 「{expected}」")


async def _choices(profile: SiteProfile, scope: Locator) -> list[tuple[str, bool]]:
    found: list[list[Any]] = await scope.locator(profile.widgets.choice).evaluate_all(
        f"cs => cs.map(c => [c.innerText.trim(), ({CHECKED})(c)])"
    )
    return [(str(text), bool(ticked)) for text, ticked in found]


async def _click_choice(profile: SiteProfile, scope: Locator, text: str, ticked: bool) -> None:
    choice = scope.locator(profile.widgets.choice).filter(has_text=exactly(text)).first
    await choice.click()
    if bool(await choice.evaluate(CHECKED)) != ticked:
        raise Permanent(f"「{text}」 did not take the click")


async def _choose(profile: SiteProfile, control: Control, scope: Locator, value: str) -> None:
    offered = await _choices(profile, scope)
    refuse_unless_offered(control, value, [text for text, _ in offered])
    if not offered:
        raise Transient(f"{control.label}: no options shown")
    await _click_choice(profile, scope, value, True)


async def _tick(profile: SiteProfile, control: Control, scope: Locator, wanted: set[str]) -> None:
    state = await _choices(profile, scope)
    labels = [text for text, _ in state]
    for item in sorted(wanted - set(labels)):
        refuse_unless_offered(control, item, labels)
    for text, ticked in state:
        if (text in wanted) != ticked:
            await _click_choice(profile, scope, text, text in wanted)


async def _tick_one(page: Page, profile: SiteProfile, control: Control, wanted: bool, where: str) -> None:
    text = control.label or ""
    choice = page.locator(f"{profile.widgets.choice}:visible").filter(has_text=exactly(text))
    if control.selector:
        choice = choice.or_(page.locator(control.selector))
    await present(page, profile, choice, where, f"{profile.widgets.choice} reading 「{text}」", visible=True)
    if bool(await choice.first.evaluate(CHECKED)) != wanted:
        await choice.first.click()
        if bool(await choice.first.evaluate(CHECKED)) != wanted:
            raise Permanent(f"「{text}」 did not take the click")


async def _select(page: Page, profile: SiteProfile, control: Control, field: Locator, value: str) -> None:
    """Open the list and pick `value`; the list may still be loading (waited for), may have failed to load (the
    platform's trouble), or may lack it (the data's)."""
    widgets = profile.widgets
    await _closed(page, profile)
    await field.click()
    option = page.locator(widgets.option).filter(has_text=exactly(value))
    try:
        await option.first.wait_for(state="visible")
    except PlaywrightTimeout:
        offered = [text.strip() for text in await page.locator(widgets.option).all_inner_texts()]
        if not offered:
            raise Transient(f"{control.label}: the option list did not load") from None
        refuse_unless_offered(control, value, offered)
        raise
    await option.first.click()
    await _read_back(control, field, value)


async def _pick_date(page: Page, profile: SiteProfile, control: Control, field: Locator, day: date) -> None:
    """Year, month, day in the picker's panel, as a person picks a date years away."""
    widgets = profile.widgets
    await _closed(page, profile)
    await field.click()
    await page.locator(widgets.date_years).click()
    year = page.locator(widgets.date_year).filter(has_text=exactly(str(day.year)))
    for _ in range(MOST_DECADES):
        if await year.count():
            break
        shown = [int(text) for text in await page.locator(widgets.date_year).all_inner_texts() if text.strip()]
        later = bool(shown) and day.year > max(shown)
        await page.locator(widgets.date_later if later else widgets.date_earlier).click()
    await year.first.click()
    await page.locator(widgets.date_month).filter(has_text=exactly(widgets.months[day.month - 1])).first.click()
    await page.locator(widgets.date_day).filter(has_text=exactly(str(day.day))).first.click()
    await _read_back(control, field, day.isoformat())


async def _cascade(page: Page, profile: SiteProfile, control: Control, field: Locator, value: str, where: str) -> None:
    """The profile's `path` picked level by level, the rest of the value typed in the `detail` item."""
    await _closed(page, profile)
    await field.click()
    for name in control.path:
        node = page.locator(profile.widgets.cascader_node).filter(has_text=exactly(name))
        await present(page, profile, node, where, f"{profile.widgets.cascader_node} reading 「{name}」", visible=True)
        await node.first.click()
    await _read_back(control, field, control.path[-1])
    detail = Control(label=control.detail)
    found = locate(page, profile, detail)
    await present(page, profile, found, where, described(profile, detail), visible=True)
    await found.fill(control.rest(value))


async def _upload(page: Page, profile: SiteProfile, control: Control, file: Path | None, where: str) -> None:
    """Set the file on the input (hidden or not); for an upload the page sends at once, until the platform lists
    it as done (`wait`, with the file's name) or says why not (read at once: messages go by themselves)."""
    found = locate(page, profile, control)
    await present(page, profile, found, where, described(profile, control), visible=False)
    if file is None:  # nothing made for it: the platform says what is missing
        return
    await found.first.set_input_files(file)
    if control.wait is None:
        return
    done = page.locator(control.wait).filter(has_text=file.name)
    await done.or_(page.locator(profile.error_selector).filter(visible=True)).first.wait_for(state="visible")
    if not await done.first.is_visible():
        await check_page(page, profile)  # the refusal (上传失败：…), or the platform's busy or login page
        raise Transient(f"{where}: the upload of {file.name} was neither listed nor refused")


async def _uploaded(page: Page, profile: SiteProfile, control: Control) -> str:
    """The list item the upload left, or the file the form will post."""
    if control.wait:
        return "、".join(text.strip() for text in await page.locator(control.wait).all_inner_texts())
    found = locate(page, profile, control).first
    return str(await found.evaluate("i => [...i.files].map(f => f.name).join('、')"))


async def read_back(page: Page, profile: SiteProfile, name: str) -> str:
    """What field `name`'s control shows now, in the platform's words (for the probe's table)."""
    control = profile.fields[name]
    if control.kind is Kind.UPLOAD:
        return await _uploaded(page, profile, control)
    return await _shown(page, profile, control)


async def _shown(page: Page, profile: SiteProfile, control: Control) -> str:
    custom = control.widget is Widget.CUSTOM
    if control.kind is Kind.CHECKBOX:
        if custom:
            choice = page.locator(f"{profile.widgets.choice}:visible").filter(has_text=exactly(control.label or ""))
            return "ticked" if await choice.first.evaluate(CHECKED) else "not ticked"
        return "ticked" if await locate(page, profile, control).is_checked() else "not ticked"
    if control.kind in (Kind.RADIO, Kind.CHECKBOXES):
        scope = group(page, profile, control)
        if custom:
            return "、".join(text for text, ticked in await _choices(profile, scope) if ticked)
        ticked: list[list[Any]] = await scope.locator("input").evaluate_all(TICKED)
        return "、".join(str(label) for label, on in ticked if on)
    found = locate(page, profile, control)
    if control.kind is Kind.SELECT and not custom:
        return str(await found.evaluate("s => s.selectedOptions.length ? s.selectedOptions[0].text : ''"))
    shown = await found.input_value()
    if control.kind is Kind.CASCADER and control.detail:
        shown += " + " + await locate(page, profile, Control(label=control.detail)).input_value()
    return shown
