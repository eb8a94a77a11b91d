"""The attachments the bots upload (申请书): a PDF made from the case — who applies, for what, under which licence or
policy, on which day — rendered from HTML by the bot's own browser. Each is kept owner-only beside the other evidence
(it holds a business's registry data) and uploaded from there, under its own file name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from playwright.async_api import Browser, Route

from bots.evidence import private_folder, write_private
from bots.profile import Kind, SiteProfile

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


async def print_pdf(browser: Browser, page_html: str) -> bytes:
    """The HTML printed to PDF in a context of its own (nothing of it lands in an attempt's trace); every request
    it would make is refused: the page needs nothing from the network."""
    context = await browser.new_context(locale="zh-CN")
    try:
        page = await context.new_page()
        await page.route("**/*", _refuse)
        await page.set_content(page_html, wait_until="load")
        await page.evaluate("document.fonts.ready")
        return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        await context.close()


async def _refuse(route: Route) -> None:
    await route.abort("blockedbyclient")


def uploads(profile: SiteProfile, matter: str) -> list[str]:
    """The fields of the matter's pages that the profile uploads a file to."""
    pages = profile.matters[matter].pages
    return [name for page in pages for name in page.fields if profile.fields[name].kind is Kind.UPLOAD]


async def made(
    browser: Browser, folder: Path, profile: SiteProfile, matter: str, values: dict[str, Any], on: date
) -> dict[str, Any]:
    """`values` with each document the matter's pages upload printed to a file in `folder` (owner-only) and given
    by its path; a field with no document is left as it is (the platform then says what is missing)."""
    printed = dict(values)
    for name in uploads(profile, matter):
        document = values.get(name)
        if isinstance(document, Document):
            private_folder(folder)
            path = folder / document.file_name
            write_private(path, await print_pdf(browser, html(document, on)))
            printed[name] = path
    return printed
