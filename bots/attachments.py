"""The attachments the bots upload (申请书): a PDF made from the case — who applies, for what, under which licence or
policy, on which day — rendered from HTML by the bot's own browser. Each is kept owner-only beside the other evidence
(it holds a business's registry data) and uploaded from there, under its own file name."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from playwright.async_api import Browser, BrowserContext, Page, Route
from playwright.async_api import Error as PlaywrightError

from bots.evidence import private_folder, write_private
from bots.profile import Kind, SiteProfile
from ground.browser import A4_PDF

TEMPLATES = Path(__file__).resolve().parent / "templates"
environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


@dataclass(frozen=True)
class Document:
    """What an attachment says: its title, the facts in a table, the applicant's statement, who signs."""

    title: str
    file_name: str  # what the platform is sent, and lists
    rows: tuple[tuple[str, str], ...]
    statement: tuple[str, ...]
    applicant: str


def html(document: Document, on: date) -> str:
    """The document as an A4 page, dated `on`."""
    return environment.get_template("attachment.html.j2").render(document=document, on=on)


class Printer:
    """A page of the bot's browser in a context of its own (nothing of it lands in an attempt's trace), printing
    every attachment a session makes, one after the other: a context and its renderer process per document cost
    more than printing it. Every request a page would make is refused: an attachment needs nothing from the
    network."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._context: BrowserContext | None = None
        self._page: Page | None = None

    async def pdf(self, page_html: str) -> bytes:
        page = self._page or await self._open()
        try:
            await page.set_content(page_html, wait_until="load")
            await page.evaluate("document.fonts.ready")  # local fonts, but a PDF taken before they settle falls back
            return await page.pdf(**A4_PDF)
        except PlaywrightError:
            await self.close()  # not used again (a crashed renderer would fail every case): the next opens another
            raise

    async def _open(self) -> Page:
        self._context = await self._browser.new_context(locale="zh-CN")
        self._page = await self._context.new_page()
        await self._page.route("**/*", _refuse)
        return self._page

    async def close(self) -> None:
        context, self._context, self._page = self._context, None, None
        if context is not None:
            with suppress(PlaywrightError):  # a context whose renderer crashed may fail to close
                await context.close()


async def _refuse(route: Route) -> None:
    await route.abort("blockedbyclient")


def uploads(profile: SiteProfile, matter: str) -> list[str]:
    """The fields of the matter's pages that the profile uploads a file to."""
    pages = profile.matters[matter].pages
    return [name for page in pages for name in page.fields if profile.fields[name].kind is Kind.UPLOAD]


async def made(
    printer: Printer, folder: Path, profile: SiteProfile, matter: str, values: dict[str, Any], on: date
) -> dict[str, Any]:
    """`values` with each document the matter's pages upload printed to a file in `folder` (owner-only) and given
    by its path; a field with no document is left as it is (the platform then says what is missing)."""
    printed = dict(values)
    for name in uploads(profile, matter):
        document = values.get(name)
        if isinstance(document, Document):
            private_folder(folder)
            path = folder / document.file_name
            write_private(path, await printer.pdf(html(document, on)))
            printed[name] = path
    return printed
