"""One browser, one context, one logged-in page for a batch of cases, with a trace per attempt.

Playwright's sync API is not thread-safe: a session belongs to the thread that opened it. The login happens
outside any trace, so the password never lands in a trace file; the saved session state (cookies) is kept
readable by its owner only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from pydantic import SecretStr

from bots.errors import BotError, Transient
from bots.forms import Shown, check_page
from bots.profile import SiteProfile

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Platform:
    """Where a platform is and how the bot signs in."""

    base_url: str
    profile: SiteProfile
    username: str
    password: SecretStr
    state_file: Path  # saved session cookies, reused until the platform expires them
    trace_dir: Path
    timeout_ms: int = 15_000


class PlatformSession:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._logged_in = False  # until the platform says otherwise (SessionExpired)

    def __enter__(self) -> PlatformSession:
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        state = self.platform.state_file if self.platform.state_file.exists() else None
        self._context = self._browser.new_context(storage_state=state, locale="zh-CN")
        self._context.set_default_timeout(self.platform.timeout_ms)
        self._page = self._context.new_page()
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    @property
    def page(self) -> Page:
        assert self._page is not None, "use the session as a context manager"
        return self._page

    def url(self, path: str) -> str:
        return self.platform.base_url.rstrip("/") + path

    def open(self, path: str) -> None:
        """Go to a platform page; a 5xx or an unreachable platform is a transient failure."""
        try:
            response = self.page.goto(self.url(path))
        except PlaywrightError as exc:
            raise Transient(f"platform unreachable: {str(exc).splitlines()[0]}") from exc
        if response is not None and response.status >= 500:
            raise Transient(f"platform answered HTTP {response.status} for {path}")

    def session_expired(self) -> None:
        self._logged_in = False

    def ensure_logged_in(self) -> None:
        """Reuse the saved session if the platform still accepts it; otherwise log in and save the new one."""
        if self._logged_in:
            return
        profile = self.platform.profile
        self.open(profile.search.path)
        if not self.page.url.split("?")[0].endswith(profile.login.path):
            self._logged_in = True
            return
        page = self.page
        page.get_by_label(profile.login.username, exact=True).fill(self.platform.username)
        page.get_by_label(profile.login.password, exact=True).fill(self.platform.password.get_secret_value())
        page.get_by_role("button", name=profile.login.button, exact=True).click()
        page.wait_for_load_state()
        if page.url.split("?")[0].endswith(profile.login.path):
            raise Transient("login refused by the platform (check the bot account)")
        self._logged_in = True
        self._save_state()

    def _save_state(self) -> None:
        assert self._context is not None
        path = self.platform.state_file
        path.parent.mkdir(parents=True, exist_ok=True)
        self._context.storage_state(path=str(path))
        os.chmod(path, 0o600)

    @contextmanager
    def attempt(self, name: str) -> Iterator[Page]:
        """One traced try at a case; on failure the trace and a screenshot are kept as the error's evidence."""
        assert self._context is not None
        self._context.tracing.start(screenshots=True, snapshots=True, title=name)
        try:
            yield self.page
        except BotError as exc:
            exc.evidence |= self._keep_evidence(name)
            raise
        except PlaywrightError as exc:  # a timeout or a vanished element: worth another try
            error = Transient(f"browser step failed: {str(exc).splitlines()[0]}")
            error.evidence |= self._keep_evidence(name)
            raise error from exc
        else:
            self._context.tracing.stop()

    def _keep_evidence(self, name: str) -> dict[str, Any]:
        assert self._context is not None
        folder = self.platform.trace_dir
        folder.mkdir(parents=True, exist_ok=True)
        screenshot, trace = folder / f"{name}.png", folder / f"{name}.trace.zip"
        try:
            self.page.screenshot(path=str(screenshot), full_page=True)
        except PlaywrightError:
            screenshot = Path()
        self._context.tracing.stop(path=str(trace))
        return {"screenshot": str(screenshot) if screenshot.name else None, "trace": str(trace)}

    def check(self, shown: Shown | None = None) -> Shown:
        return check_page(self.page, self.platform.profile, shown)
