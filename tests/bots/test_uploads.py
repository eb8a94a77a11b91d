"""Attachments by profile on each build: the bot uploads a PDF it made from the case (a plain file input posted with
its page, or an el-upload the page sends at once); the platform refuses an application without it, or with a file
that is not a PDF, and the bot reports the platform's words; an upload the profile names but the page lacks is a
misfit, not an outage."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Error as PlaywrightError
from pypdf import PdfReader
from sqlalchemy import select

from bots import attachments, misfits
from bots.prefill import prefill_seamless
from bots.profile import Control, Kind, SiteProfile
from bots.session import Platform
from ground.browser import chromium
from ground.store.tables import bot_attempts
from tests.bots.conftest import FAST, World, applications, now

FIELD = "application_form"


def attempts(world: World) -> list[tuple[str, str]]:
    with world.engine.connect() as connection:
        rows = connection.execute(select(bot_attempts.c.outcome, bot_attempts.c.error).order_by(bot_attempts.c.id))
        return [(outcome, error or "") for outcome, error in rows]


def without_upload(platform: Platform) -> Platform:
    """The profile with the attachment left off every page: the application goes without it."""
    profile = platform.profile
    matters = {
        name: matter.model_copy(
            update={
                "pages": [
                    page.model_copy(update={"fields": [f for f in page.fields if f != FIELD]}) for page in matter.pages
                ]
            }
        )
        for name, matter in profile.matters.items()
    }
    return replace(platform, profile=profile.model_copy(update={"matters": matters}))


def with_control(platform: Platform, control: Control) -> Platform:
    profile: SiteProfile = platform.profile.model_copy(update={"fields": platform.profile.fields | {FIELD: control}})
    return replace(platform, profile=profile)


def test_each_build_receives_the_pdf_the_bot_made_from_the_case(world: World, build: tuple[str, str]) -> None:
    layout, url = build
    [case_id] = world.seamless(1)

    report = prefill_seamless(world.engine, world.platform(url, layout), FAST, now)

    assert report.outcomes == {"filed": 1}, report.warnings
    case = world.case(case_id)
    [filed] = applications(url)
    name = f"{case['platform_ref']}-延续申请书.pdf"
    assert filed["data"][FIELD] == name  # type: ignore[index]
    stored = httpx.get(f"{url}/_sandbox/applications/{case['application_no']}/attachments/{FIELD}").content
    assert stored.startswith(b"%PDF-")
    assert case["licence_no"] in PdfReader(BytesIO(stored)).pages[0].extract_text(), "made from the case"
    kept = world.folder / "traces" / name
    assert kept.read_bytes() == stored and kept.stat().st_mode & 0o777 == 0o600, "the bot's copy, owner-only"


def test_each_build_refuses_an_application_without_its_attachment(world: World, build: tuple[str, str]) -> None:
    layout, url = build
    [case_id] = world.seamless(1)

    report = prefill_seamless(world.engine, without_upload(world.platform(url, layout)), FAST, now)

    assert report.parked == 1 and world.case(case_id)["state"] == "parked"
    assert applications(url) == [], "nothing filed without the attachment"
    [(outcome, error)] = attempts(world)
    assert outcome == "permanent" and "请上传" in error, error


def test_a_file_the_platform_refuses_is_reported_in_its_words(
    world: World, build: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    layout, url = build
    [case_id] = world.seamless(1)

    async def not_a_pdf(*_: object) -> bytes:
        return b"<html>not a PDF</html>"

    monkeypatch.setattr(attachments.Printer, "pdf", not_a_pdf)

    report = prefill_seamless(world.engine, world.platform(url, layout), FAST, now)

    assert report.parked == 1 and world.case(case_id)["state"] == "parked"
    assert applications(url) == []
    [(outcome, error)] = attempts(world)
    assert outcome == "permanent" and "只能上传PDF格式文件" in error, error


def test_an_upload_the_page_lacks_is_a_misfit_with_a_screenshot_not_an_outage(
    world: World, build: tuple[str, str]
) -> None:
    layout, url = build
    ids = world.seamless(2)
    widget = world.platform(url, layout).profile.fields[FIELD]
    assert widget.kind is Kind.UPLOAD
    platform = with_control(world.platform(url, layout), widget.model_copy(update={"label": "营业执照副本"}))

    report = prefill_seamless(world.engine, platform, FAST, now)

    assert report.misfit and report.stopped_early and report.parked == 0
    assert [world.case(i)["state"] for i in ids] == ["consented", "consented"]
    assert {outcome for outcome, _ in attempts(world)} == {"misfit"}, "no outage, nothing counted against a case"
    kept = misfits.current(platform)
    assert kept is not None and kept["step"].endswith(f"field {FIELD}") and "营业执照副本" in kept["selector"]
    assert Path(kept["evidence"]["screenshot"]).is_file()


def test_a_session_prints_its_attachments_on_one_page_and_opens_another_after_a_crash() -> None:
    document = attachments.Document("测试申请书", "t.pdf", (("市场主体名称", "某某餐饮店"),), ("声明",), "某某餐饮店")

    async def printed() -> tuple[list[bytes], int, int]:
        async with chromium() as browser:
            printer = attachments.Printer(browser)
            pdfs = [await printer.pdf(attachments.html(document, date(2027, 1, 4))) for _ in range(2)]
            contexts = len(browser.contexts)
            await browser.contexts[0].pages[0].close()  # the printer's page gone under it, as a crashed renderer
            with pytest.raises(PlaywrightError):
                await printer.pdf(attachments.html(document, date(2027, 1, 4)))
            pdfs.append(await printer.pdf(attachments.html(document, date(2027, 1, 4))))
            await printer.close()
            return pdfs, contexts, len(browser.contexts)

    pdfs, contexts_while_printing, contexts_after = asyncio.run(printed())

    assert contexts_while_printing == 1, "one context for both documents"
    assert contexts_after == 0, "closed with the session"
    assert all("某某餐饮店" in PdfReader(BytesIO(pdf)).pages[0].extract_text() for pdf in pdfs)
