"""What the bots do on the platform's pages: find an application by our reference, file a new one."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import TimeoutError as PlaywrightTimeout

from bots import attachments, tables, widgets
from bots.errors import Permanent, Transient
from bots.forms import application_number, described, locate, not_shown, present, read_page
from bots.profile import Confirm, Control, PlatformStatus
from bots.session import PlatformSession
from ground import failpoints

log = logging.getLogger(__name__)
PLATFORM_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Found:
    """An application as the platform's search lists it, in the profile's canonical terms."""

    application_no: str
    status: PlatformStatus  # a word the profile does not map counts as pending: no decision is read into it
    decision: str  # the approver's remark, e.g. the reason for a return
    decided_at: datetime | None = None  # the approver's own decision time, where the platform shows it


async def find_application(session: PlatformSession, reference: str) -> Found | None:
    """Search the platform for our reference; None when it has no such application (read, never assumed)."""
    search = session.platform.profile.search
    if not (session.fresh and session.at(search.path)):  # a page load spared: a session's requests may be counted
        await session.open(search.path)
    await session.check()
    page, profile = session.page, session.platform.profile
    query = locate(page, profile, Control(label=search.query))
    await present(page, profile, query, "search", described(profile, Control(label=search.query)), visible=False)
    await query.fill(reference)
    await click(session, search.button, "search", navigates=search.navigates)
    if search.navigates:
        await session.check()
    return (await list_shown(session, all_pages=False)).get(reference)


async def list_applications(session: PlatformSession) -> dict[str, Found]:
    """Every application the platform lists for our account (the search page before any search, every page)."""
    await session.open(session.platform.profile.search.path)
    await session.check()
    return await list_shown(session, all_pages=True)


async def click(session: PlatformSession, name: str, step: str, navigates: bool) -> None:
    """Click the button named `name` (waiting for the page it loads when it `navigates`); a button that is not
    there on a page that is up is a misfit."""
    page = session.page
    button = page.get_by_role("button", name=name, exact=True)
    await present(page, session.platform.profile, button, step, f"button 「{name}」", visible=True)
    if navigates:
        async with page.expect_navigation():
            await button.click()
    else:
        await button.click()


async def list_shown(session: PlatformSession, all_pages: bool = False) -> dict[str, Found]:
    """The applications in the results table on the current page, by our reference (with `all_pages`, on every
    page of a paged table)."""
    search = session.platform.profile.search
    words = {word: status for status, word in search.statuses.items()}
    rows = await tables.read(session, all_pages) if search.table else await _table_rows(session)
    shown = {}
    for row in rows:
        reference = row.get(search.columns["reference"])
        if reference:
            status_text = row.get(search.columns["status"], "")
            shown[reference] = Found(
                application_no=row.get(search.columns["application_no"], ""),
                status=_status(words, status_text, reference),
                decision=row.get(search.columns["decision"], "").removeprefix(search.return_prefix),
                decided_at=_moment(row.get(search.columns.get("decided_at", ""), ""), search.decided_at_format),
            )
    return shown


def _status(words: dict[str, PlatformStatus], text: str, reference: str) -> PlatformStatus:
    if text not in words:
        log.warning("application %s: status %r is not in the profile's statuses, read as pending", reference, text)
    return words.get(text, PlatformStatus.PENDING)


def _moment(text: str, format: str) -> datetime | None:
    """A time the platform shows (Beijing time, as Chinese platforms write it), or None where it shows none."""
    try:
        return datetime.strptime(text.strip(), format).replace(tzinfo=PLATFORM_ZONE)
    except ValueError:
        return None


async def _table_rows(session: PlatformSession) -> list[dict[str, str]]:
    """Every table on the page as header → cell text dicts (the results table is whichever has our columns)."""
    found: list[list[list[str]]] = await session.page.locator("table").evaluate_all(
        "ts => ts.map(t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())))"
    )
    rows: list[dict[str, str]] = []
    for table in found:
        if table:
            header, *body = table
            rows += [dict(zip(header, cells, strict=False)) for cells in body]
    return rows


async def file_application(session: PlatformSession, matter_name: str, values: dict[str, Any]) -> str:
    """Open a new application, fill every page from `values`, submit; the platform's application number."""
    profile = session.platform.profile
    matter = profile.matters[matter_name]
    page = session.page
    values = await with_attachments(session, matter_name, values)
    await session.open(matter.start_path)
    shown, entered = await session.check(), list[str]()
    for number, form_page in enumerate(matter.pages, start=1):
        step = f"{matter_name} page {number}"
        if not form_page.fields:  # a review page: it shows everything entered, before anything is submitted
            missing = not_shown(shown.text, profile, values, entered)
            if missing:
                raise Permanent("the review page does not show what was entered for: " + "、".join(missing))
        for name in form_page.fields:
            await widgets.fill(page, profile, name, values.get(name), step)
        entered += form_page.fields
        last = form_page is matter.pages[-1]
        if last and matter.confirm is None:
            failpoints.reach(failpoints.BEFORE_SUBMIT)
        await click(session, form_page.button, step, navigates=form_page.wait is None)
        if last and matter.confirm is not None:
            await _confirm(session, matter.confirm, step)
        if form_page.wait is not None:
            await settled(session, form_page.wait, step)
        shown = await read_page(page, profile)
        if any(matter.success_heading in heading for heading in shown.headings) or (
            last and form_page.wait is not None and matter.success_heading in shown.text and not shown.alerts
        ):
            break
        already = re.search(matter.duplicate_pattern, shown.text)
        if already:  # filed before under our reference (an answer lost on the way back): that one is ours
            return already.group(1)
        await session.check(shown)
    filed = application_number(shown.text, matter.number_pattern)
    failpoints.reach(failpoints.AFTER_SUBMIT)
    return filed


async def with_attachments(session: PlatformSession, matter_name: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with the documents the matter's pages upload printed, each kept as a file among the evidence (and
    pruned with it: no folder of its own)."""
    today = datetime.now(PLATFORM_ZONE).date()
    platform = session.platform
    return await attachments.made(session.printer, platform.trace_dir, platform.profile, matter_name, values, today)


async def _confirm(session: PlatformSession, confirm: Confirm, step: str) -> None:
    """The confirmation dialog after the last button: its own button, once it is there (or the platform's message
    instead, when the last page was refused)."""
    page, profile = session.page, session.platform.profile
    dialog = page.locator(confirm.dialog)
    await settled(session, confirm.dialog, step)
    if not await dialog.first.is_visible():
        return  # a message instead: read by the caller
    button = dialog.get_by_role("button", name=confirm.button, exact=True)
    await present(page, profile, button, step, f"{confirm.dialog} button 「{confirm.button}」", visible=True)
    failpoints.reach(failpoints.BEFORE_SUBMIT)
    await button.click()


async def settled(session: PlatformSession, wait: str, step: str) -> None:
    """A single-page step: until `wait` shows, or the platform's message does (read at once: messages go by
    themselves after a few seconds), or another page loads (the login page, the busy page)."""
    page, profile = session.page, session.platform.profile
    outcome = page.locator(wait).or_(page.locator(profile.error_selector).filter(visible=True))
    try:
        await outcome.first.wait_for(state="visible")
    except PlaywrightTimeout:
        await session.check()
        raise Transient(f"{step}: neither the next step ({wait}) nor a message showed") from None
