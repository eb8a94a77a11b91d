"""Reading a results table drawn by a script (the profile's `search.table`): header and body apart, rows that come
after the page, ten a page behind a pager. A table is read only once it has settled, and a table that could not be
read — still loading, a failed request said in a message, rows that do not add up to the pager's total — is an error,
never an empty result: concluding "not filed" from an unread list is how an application gets filed twice."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import TimeoutError as PlaywrightTimeout

from bots.errors import Misfit, Transient
from bots.forms import present, read_page
from bots.profile import Table
from bots.session import PlatformSession

MOST_PAGES = 500  # a pager that never ends is a misfit, not a list
ROWS = "(rows, cells) => rows.map(r => [...r.querySelectorAll(cells)].map(c => c.innerText.trim()))"


async def read(session: PlatformSession, all_pages: bool) -> list[dict[str, str]]:
    """The rows on screen as header → cell text (with `all_pages`, of every page, turning the pager)."""
    profile = session.platform.profile
    table = profile.search.table
    assert table is not None
    page = session.page
    await present(page, profile, page.locator(table.header), "search results", f"header {table.header}", visible=True)
    header = [text.strip() for text in await page.locator(table.header).all_inner_texts()]
    missing = [name for name in profile.search.columns.values() if name not in header]
    if missing:
        raise Misfit("search results", table.header, f"the table has no column {'、'.join(missing)}")
    rows: list[dict[str, str]] = []
    for _ in range(MOST_PAGES):
        rows += [dict(zip(header, cells, strict=False)) for cells in await _page_rows(session, table)]
        if not all_pages or not await _turned(session, table):
            break
    else:
        raise Misfit("search results", str(table.next_page), f"more than {MOST_PAGES} pages")
    if all_pages and table.total:
        await _add_up(session, table, len(rows))
    return rows


async def _page_rows(session: PlatformSession, table: Table) -> list[list[str]]:
    page = session.page
    await _settled(session, table)
    cells: list[list[str]] = await page.locator(table.rows).evaluate_all(ROWS, table.cells)
    rows = [row for row in cells if any(row)]
    if not rows and table.empty and not await page.locator(table.empty).first.is_visible():
        raise Transient("the results table shows neither rows nor its empty text: it could not be read")
    return rows


async def _settled(session: PlatformSession, table: Table) -> None:
    """Until the table has stopped loading; a message meanwhile (a failed request) means it was not read."""
    page, profile = session.page, session.platform.profile
    if table.loading:
        try:
            await page.locator(table.loading).first.wait_for(state="hidden")
        except PlaywrightTimeout:
            raise Transient("the results table kept loading: it could not be read") from None
    shown = await read_page(page, profile)
    if shown.alerts:
        await session.check(shown)  # busy, expired: said so; any other message
        raise Transient("the results table could not be read: " + " / ".join(shown.alerts))


async def _turned(session: PlatformSession, table: Table) -> bool:
    """To the next page, if there is one."""
    if not table.next_page:
        return False
    button = session.page.locator(table.next_page).first
    if not await button.count() or not await button.is_enabled():
        return False
    await button.click()
    return True


async def _add_up(session: PlatformSession, table: Table, count: int) -> None:
    text = await session.page.locator(str(table.total)).first.inner_text()
    total = _first_number(text)
    if total is not None and total != count:
        raise Transient(f"the results table lists {count} rows of {total}: it could not be read whole")


def _first_number(text: Any) -> int | None:
    match = re.search(r"\d+", str(text))
    return int(match.group()) if match else None
