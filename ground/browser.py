"""The browser launcher: Debian's Chromium driven by Playwright (its own browser download does not work on these
machines). The bots fill forms in it, the letters are printed by it, the sandbox's scripted approver clicks in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

from playwright.async_api import Browser, async_playwright

# Debian's Chromium headless shell: the build Playwright itself runs headless. With the full browser's headless
# mode the pages of one browser waited on its shared browser process: the bots benchmark's 3-page row went from
# 17.4 to 44 cases a minute on this change alone.
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class PdfOptions(TypedDict):
    format: str
    print_background: bool
    prefer_css_page_size: bool


# How every PDF we make is printed (letters, the bots' attachments): A4 as the page's stylesheet lays it out
# (`@page`), backgrounds included.
A4_PDF: PdfOptions = {"format": "A4", "print_background": True, "prefer_css_page_size": True}


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium, for the block."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()
