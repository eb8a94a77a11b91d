"""HTML to PDF with one Chromium for a whole batch of letters.

Playwright's sync API is not thread-safe: a printer belongs to the thread that opened it. Starting Chromium costs
far more than printing a letter, so a batch opens one printer and prints every letter through its single page.
Every request the page would make is refused: a letter carries its QR code inline and uses the fonts installed on
the machine (fonts-noto-cjk), so nothing needs the network, and nothing should reach it.

The PDF is Chromium's as printed. Its text layer names some characters by a radical that shares their glyph
(see `text_layer`): the batch repairs that while it merges the letters, where the PDF is rewritten anyway, and
`text_layer.fix_text_layer` does it for a letter written out on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from types import TracebackType

from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright
from pypdf import PdfReader

from ground.browser import A4_PDF, CHROMIUM, CHROMIUM_ARGS
from notifications.letters.errors import LetterTooLong

DEFAULT_MAX_PAGES = 2  # one duplex sheet: the DL envelope and the standard postage are for a thin letter
TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class PrintedLetter:
    letter_id: str
    pdf: bytes
    pages: int


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


class LetterPrinter:
    """`with LetterPrinter() as printer: printer.print_letter(letter_id, html)`: one browser, many letters."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._page: Page | None = None

    def __enter__(self) -> LetterPrinter:
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            self._page = self._browser.new_page(locale="zh-CN")
            self._page.set_default_timeout(TIMEOUT_MS)
            self._page.route("**/*", _refuse)
        except BaseException:
            self._playwright.stop()
            raise
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def pdf(self, html: str) -> bytes:
        """The HTML printed on A4 as its stylesheet lays it out (`@page`), backgrounds included."""
        assert self._page is not None, "use the printer as a context manager"
        self._page.set_content(html, wait_until="load")
        self._page.evaluate("document.fonts.ready")  # local fonts, but a PDF taken before they settle falls back
        return self._page.pdf(**A4_PDF)

    def print_letter(self, letter_id: str, html: str, max_pages: int = DEFAULT_MAX_PAGES) -> PrintedLetter:
        """The letter's PDF; `LetterTooLong` if it runs over `max_pages` (it is not cut short: it is refused)."""
        pdf = self.pdf(html)
        pages = page_count(pdf)
        if pages > max_pages:
            raise LetterTooLong(letter_id, pages, max_pages)
        return PrintedLetter(letter_id, pdf, pages)


def _refuse(route: Route) -> None:
    route.abort("blockedbyclient")
