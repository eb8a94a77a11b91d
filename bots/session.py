"""One browser for a batch of cases, and in it one or more sessions working at once: each its own context and
page, its own login and a trace per attempt (Playwright traces a whole context, so a trace per attempt needs a
context per page at work).

Playwright is not thread-safe: the browser and its sessions belong to the event loop of the thread that opened
them (the async API, so several pages of the one browser can wait on the platform at the same time). The login
happens outside any trace, so the password never lands in a trace file; the session cookie, which rides on every
request, is taken out of a trace before it is kept (bots.trace_scrub); the saved session state (cookies) and the
evidence are readable by their owner only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout
from pydantic import SecretStr

from bots.attachments import Printer
from bots.errors import BotError, LoginRefused, Misfit, SessionExpired, Transient
from bots.evidence import private_folder, write_private
from bots.forms import Shown, check_page, described, locate, present, read_page
from bots.profile import Control, SiteProfile
from bots.trace_scrub import scrub_trace
from ground.outside_work.slots import Slots


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
    trace_screencast: bool = False  # a filmstrip in each attempt's trace: the browser draws every frame whole
    trace_first_try: bool = True  # off: a case's retries only are traced (the trace's CPU spared on first tries)
    # Shared with the other workers filing on this platform (`ground.outside_work.slots`): a session works on the
    # platform only while it holds a slot, so the platform's limit holds across machines. None: this process alone.
    slots: Slots | None = None

    @property
    def misfit_file(self) -> Path:
        """Where a misfit of the profile is kept until a person clears it (beside the saved session)."""
        return self.state_file.with_name(f"{self.profile.name}.misfit.json")


class PlatformSession:
    """A context and page of `browser` signed in to the platform, working through cases one at a time."""

    def __init__(self, platform: Platform, browser: Browser) -> None:
        self.platform = platform
        self._browser = browser
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._printer = Printer(browser)
        self._logged_in = False  # until the platform says otherwise (SessionExpired)
        # The page shown was just loaded by `ensure_logged_in` (the search page, or where the login led), nothing
        # done on it since: a search may start on it rather than load it again.
        self.fresh = False

    async def __aenter__(self) -> PlatformSession:
        state = self.platform.state_file if self.platform.state_file.exists() else None
        self._context = await self._browser.new_context(storage_state=state, locale="zh-CN")
        self._context.set_default_timeout(self.platform.timeout_ms)
        self._page = await self._context.new_page()
        return self

    async def __aexit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self._printer.close()
        if self._context is not None:
            await self._context.close()

    @property
    def printer(self) -> Printer:
        """The session's own printer of attachments, in the same browser (opened at its first document)."""
        return self._printer

    @property
    def page(self) -> Page:
        assert self._page is not None, "use the session as an async context manager"
        return self._page

    def url(self, path: str) -> str:
        return self.platform.base_url.rstrip("/") + path

    def at(self, path: str) -> bool:
        """Whether the page shown is the platform's page at `path` (whatever its query)."""
        return self.page.url.split("?")[0].endswith(path)

    async def open(self, path: str) -> None:
        """Go to a platform page; a 5xx or an unreachable platform is a transient failure. A load cut short by
        another is tried once more: a front end's own script sends the page to the login page a moment after a
        call found the session expired, and that must not pass for an outage. Landing on the login page is left to
        the caller (`check`, `ensure_logged_in`): it is a session that expired."""
        self.fresh = False
        for again in (True, False):
            try:
                response = await self.page.goto(self.url(path))
                break
            except PlaywrightTimeout as exc:
                raise Transient(f"platform unreachable: {str(exc).splitlines()[0]}") from exc
            except PlaywrightError as exc:
                if self.at(self.platform.profile.login.path):
                    raise SessionExpired(f"sent to the login page while opening {path}") from exc
                if not again:
                    raise Transient(f"platform unreachable: {str(exc).splitlines()[0]}") from exc
        if response is not None and response.status >= 500:
            raise Transient(f"platform answered HTTP {response.status} for {path}")

    def session_expired(self) -> None:
        self._logged_in = False

    async def ensure_logged_in(self) -> None:
        """Reuse the saved session if the platform still accepts it; otherwise log in and save the new one."""
        if self._logged_in:
            self.fresh = False
            return
        profile = self.platform.profile
        with suppress(SessionExpired):  # sent to the login page on the way: signed in below
            await self.open(profile.search.path)
        if not self.at(profile.login.path):
            self._logged_in = self.fresh = True
            return
        try:
            await self._log_in()
        except PlaywrightError as exc:  # the login page did not load or not as the profile describes it
            raise Transient(f"login page failed: {str(exc).splitlines()[0]}") from exc
        self._logged_in = self.fresh = True
        await self._save_state()

    async def _log_in(self) -> None:
        """Sign in; only the platform's own words for a refused account are a refusal, anything else that keeps
        the bot on the login page (a server error, a stale form) is worth another try. A login page the profile
        does not fit is a misfit, with a screenshot of it (the password blanked)."""
        login, page, profile = self.platform.profile.login, self.page, self.platform.profile
        try:
            for label, value in ((login.username, self.platform.username), (login.password, None)):
                field = locate(page, profile, Control(label=label))
                where = described(profile, Control(label=label))
                await present(page, profile, field, "login", where, visible=False, login=True)
                await field.fill(value if value is not None else self.platform.password.get_secret_value())
            button = page.get_by_role("button", name=login.button, exact=True)
            await present(page, profile, button, "login", f"button 「{login.button}」", visible=True, login=True)
        except Misfit as misfit:
            misfit.evidence |= await self.screenshot("login")
            raise
        if login.wait is None:
            async with page.expect_navigation() as navigation:
                await button.click()
            response = await navigation.value
            if response is not None and response.status >= 500:
                raise Transient(f"platform answered HTTP {response.status} at login")
        else:
            await button.click()
            answer = page.locator(profile.error_selector).filter(visible=True, has_not_text=login.expired_marker)
            await page.locator(login.wait).or_(answer).first.wait_for(state="visible")
        if not self.at(login.path):
            return
        # The login page of an expired session says so (a message that may still be up): not an answer to this login.
        shown = await read_page(page, self.platform.profile)
        answers = [alert for alert in shown.alerts if login.expired_marker not in alert]
        if any(login.refused_marker in alert for alert in answers):
            raise LoginRefused("the platform refused the bot's login: " + " / ".join(answers))
        raise Transient("login did not go through: " + (" / ".join(answers) or "no reason shown"))

    async def screenshot(self, name: str) -> dict[str, Any]:
        """The page as it is, every password field blanked first (a login page's): evidence that holds no secret."""
        folder = self.platform.trace_dir
        private_folder(folder)
        path = folder / f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.png"
        try:
            await self.page.evaluate(
                "() => document.querySelectorAll('input[type=password]').forEach(i => i.value = '')"
            )
            write_private(path, await self.page.screenshot(full_page=True))
        except PlaywrightError:
            return {}
        return {"screenshot": str(path)}

    async def _save_state(self) -> None:
        assert self._context is not None
        path = self.platform.state_file
        path.parent.mkdir(parents=True, exist_ok=True)
        await self._context.storage_state(path=str(path))
        os.chmod(path, 0o600)

    @asynccontextmanager
    async def attempt(self, name: str, traced: bool = True) -> AsyncIterator[Page]:
        """One try at a case, `traced` or not; on failure the screenshot (and the trace) are kept as the error's
        evidence."""
        assert self._context is not None
        if traced:
            await self._context.tracing.start(screenshots=self.platform.trace_screencast, snapshots=True, title=name)
        try:
            yield self.page
        except BotError as exc:
            exc.evidence |= await self._keep_evidence(name, traced)
            raise
        except PlaywrightError as exc:  # a timeout or a vanished element: worth another try
            error = Transient(f"browser step failed: {str(exc).splitlines()[0]}")
            error.evidence |= await self._keep_evidence(name, traced)
            raise error from exc
        else:
            if traced:
                await self._context.tracing.stop()

    async def _keep_evidence(self, name: str, traced: bool) -> dict[str, Any]:
        """The screenshot and the trace, owner-only; the trace without the session cookie or any other secret."""
        assert self._context is not None
        folder = self.platform.trace_dir
        private_folder(folder)
        screenshot, trace = folder / f"{name}.png", folder / f"{name}.trace.zip"
        try:
            write_private(screenshot, await self.page.screenshot(full_page=True))
        except PlaywrightError:
            screenshot = Path()
        kept = {"screenshot": str(screenshot) if screenshot.name else None}
        if not traced:
            return kept
        secrets = [cookie["value"] for cookie in await self._context.cookies()]
        with tempfile.TemporaryDirectory() as scratch:  # owner-only, and gone even if the scrub fails
            raw = Path(scratch) / "trace.zip"
            await self._context.tracing.stop(path=str(raw))
            write_private(trace, scrub_trace(raw.read_bytes(), [*secrets, self.platform.password.get_secret_value()]))
        return kept | {"trace": str(trace)}

    async def check(self, shown: Shown | None = None) -> Shown:
        return await check_page(self.page, self.platform.profile, shown)
