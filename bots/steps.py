"""What the bots do on the platform's pages: find an application by our reference, file a new one."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bots.errors import Permanent
from bots.forms import application_number, fill, not_shown, read_page
from bots.profile import PlatformStatus
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
    """Search the platform for our reference; None when it has no such application."""
    search = session.platform.profile.search
    await session.open(search.path)
    await session.check()
    page = session.page
    await page.get_by_label(search.query, exact=True).fill(reference)
    async with page.expect_navigation():
        await page.get_by_role("button", name=search.button, exact=True).click()
    await session.check()
    return (await list_shown(session)).get(reference)


async def list_applications(session: PlatformSession) -> dict[str, Found]:
    """Every application the platform lists for our account (the search page before any search)."""
    await session.open(session.platform.profile.search.path)
    await session.check()
    return await list_shown(session)


async def list_shown(session: PlatformSession) -> dict[str, Found]:
    """The applications in the results table on the current page, by our reference."""
    search = session.platform.profile.search
    words = {word: status for status, word in search.statuses.items()}
    shown = {}
    for row in await _table_rows(session):
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
    tables: list[list[list[str]]] = await session.page.locator("table").evaluate_all(
        "ts => ts.map(t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())))"
    )
    rows: list[dict[str, str]] = []
    for table in tables:
        if table:
            header, *body = table
            rows += [dict(zip(header, cells, strict=False)) for cells in body]
    return rows


async def file_application(session: PlatformSession, matter_name: str, values: dict[str, Any]) -> str:
    """Open a new application, fill every page from `values`, submit; the platform's application number."""
    profile = session.platform.profile
    matter = profile.matters[matter_name]
    page = session.page
    await session.open(matter.start_path)
    shown, entered = await session.check(), list[str]()
    for form_page in matter.pages:
        if not form_page.fields:  # a review page: it shows everything entered, before anything is submitted
            missing = not_shown(shown.text, profile, values, entered)
            if missing:
                raise Permanent("the review page does not show what was entered for: " + "、".join(missing))
        for name in form_page.fields:
            await fill(page, profile.fields[name], values.get(name))
        entered += form_page.fields
        if form_page is matter.pages[-1]:
            failpoints.reach(failpoints.BEFORE_SUBMIT)
        async with page.expect_navigation():
            await page.get_by_role("button", name=form_page.button, exact=True).click()
        shown = await read_page(page, profile)
        if any(matter.success_heading in heading for heading in shown.headings):
            break
        already = re.search(matter.duplicate_pattern, shown.text)
        if already:  # filed before under our reference (an answer lost on the way back): that one is ours
            return already.group(1)
        await session.check(shown)
    number = application_number(shown.text, matter.number_pattern)
    failpoints.reach(failpoints.AFTER_SUBMIT)
    return number
