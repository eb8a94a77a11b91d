"""The probe: a site profile tried on a platform with a synthetic case, step by step, without submitting anything —
the tool a person uses to write a profile for a new platform. It logs in, searches, and walks each page of each
matter: for every field whether its control was found, filled, and what it shows afterwards, with a screenshot of
each page. Nothing is recorded in the store; the last page's button (the submission) is never clicked."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from playwright.async_api import Error as PlaywrightError

from bots import widgets
from bots.application import renewal_fields
from bots.errors import BotError, Misfit
from bots.forms import described, locate, present
from bots.profile import Control
from bots.session import Platform, PlatformSession
from bots.steps import click, list_shown, settled, with_attachments
from bots.subsidy_application import disbursement_form
from domain.registries.checks import credit_code_check_char
from ground.browser import chromium

REFERENCE = "PA-PROBE-0001"  # a reference no case has: the search must come back empty, and say so


@dataclass(frozen=True)
class Row:
    """One step of the probe."""

    step: str  # login, search, or the matter and page
    what: str  # the field, button or table
    found: bool
    filled: bool | None = None  # None: nothing to fill
    read_back: str = ""  # what the control shows after filling, or what was read
    note: str = ""  # the error, when a step failed
    screenshot: str = ""


def probe(platform: Platform, today: date) -> list[Row]:
    """Every step of the profile on the platform, in order; stops at a step nothing after it can pass (the login)."""
    return asyncio.run(_probe(platform, today))


async def _probe(platform: Platform, today: date) -> list[Row]:
    rows: list[Row] = []
    async with chromium() as browser, PlatformSession(platform, browser) as session:
        if not await _login(session, rows):
            return rows
        await _search(session, rows)
        for name in platform.profile.matters:
            values = await with_attachments(session, name, synthetic_values(platform, name, today))
            await _matter(session, name, values, rows)
    return rows


async def _login(session: PlatformSession, rows: list[Row]) -> bool:
    login, page, profile = session.platform.profile.login, session.page, session.platform.profile
    try:
        await session.open(login.path)
        for label in (login.username, login.password):
            control = Control(label=label)
            where = described(profile, control)
            await present(page, profile, locate(page, profile, control), "login", where, False, login=True)
            rows.append(Row("login", label, found=True))
        await session.ensure_logged_in()
    except BotError as exc:
        shot = (await session.screenshot("probe-login")).get("screenshot", "")
        rows.append(
            Row("login", _what(exc, login.button), found=not isinstance(exc, Misfit), note=str(exc), screenshot=shot)
        )
        return False
    shot = (await session.screenshot("probe-login")).get("screenshot", "")
    rows.append(Row("login", f"button 「{login.button}」", found=True, read_back="signed in", screenshot=shot))
    return True


async def _search(session: PlatformSession, rows: list[Row]) -> None:
    search, page, profile = session.platform.profile.search, session.page, session.platform.profile
    try:
        await session.open(search.path)
        await session.check()
        query = Control(label=search.query)
        found = locate(page, profile, query)
        await present(page, profile, found, "search", described(profile, query), False)
        await found.fill(REFERENCE)
        rows.append(Row("search", search.query, found=True, filled=True, read_back=await found.input_value()))
        await click(session, search.button, "search", navigates=search.navigates)
        listed = await list_shown(session)
        shot = (await session.screenshot("probe-search")).get("screenshot", "")
        read = f"{len(listed)} rows for {REFERENCE}, columns {'、'.join(search.columns.values())} found"
        rows.append(Row("search", f"button 「{search.button}」 + table", found=True, read_back=read, screenshot=shot))
    except (BotError, PlaywrightError) as exc:
        shot = (await session.screenshot("probe-search")).get("screenshot", "")
        rows.append(
            Row("search", _what(exc, "table"), found=not isinstance(exc, Misfit), note=_said(exc), screenshot=shot)
        )


async def _matter(session: PlatformSession, name: str, values: dict[str, Any], rows: list[Row]) -> None:
    """Each page of the matter filled; each page's button clicked but the last (nothing is submitted)."""
    profile, page = session.platform.profile, session.page
    matter = profile.matters[name]
    await session.open(matter.start_path)
    for number, form_page in enumerate(matter.pages, start=1):
        step = f"{name} page {number}"
        for field in form_page.fields:
            rows.append(await _field(session, step, field, values.get(field)))
        shot = (await session.screenshot(f"probe-{name}-{number}")).get("screenshot", "")
        button = f"button 「{form_page.button}」"
        if form_page is matter.pages[-1]:
            try:
                found = page.get_by_role("button", name=form_page.button, exact=True)
                await present(page, profile, found, step, button, visible=True)
                rows.append(Row(step, button, found=True, note="not clicked: it submits", screenshot=shot))
            except BotError as exc:
                rows.append(Row(step, button, found=False, note=str(exc), screenshot=shot))
            return
        try:
            await click(session, form_page.button, step, navigates=form_page.wait is None)
            if form_page.wait is not None:
                await settled(session, form_page.wait, step)
            await session.check()
            rows.append(Row(step, button, found=True, read_back="next page shown", screenshot=shot))
        except (BotError, PlaywrightError) as exc:
            rows.append(Row(step, button, found=not isinstance(exc, Misfit), note=_said(exc), screenshot=shot))
            return


async def _field(session: PlatformSession, step: str, field: str, value: Any) -> Row:
    profile, page = session.platform.profile, session.page
    try:
        await widgets.fill(page, profile, field, value, step)
    except Misfit as exc:
        return Row(step, field, found=False, filled=False, note=str(exc))
    except (BotError, PlaywrightError) as exc:
        await page.keyboard.press("Escape")  # a list or panel left open would take the next field's click
        return Row(step, field, found=True, filled=False, note=_said(exc))
    return Row(step, field, found=True, filled=True, read_back=await widgets.read_back(page, profile, field))


def _what(exc: BaseException, default: str) -> str:
    return exc.selector if isinstance(exc, Misfit) else default


def _said(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def synthetic_values(platform: Platform, matter: str, today: date) -> dict[str, Any]:
    """A case that looks like a real one of this county but is no one's: a renewal whose licence expires in two
    months, or a disbursement under the first policy the profile files."""
    profile = platform.profile
    code = "91150624MA0N0PR0B"
    credit_code = code + credit_code_check_char(code)
    if matter == profile.subsidy_matter:
        policy = next(iter(profile.subsidy_policies.values()), "")
        company = {
            "name": "鄂托克旗探测示例有限公司",
            "credit_code": credit_code,
            "bank_name": "中国农业银行鄂托克旗支行",
            "bank_account": "0545012345678901234",
        }
        return {
            "reference": REFERENCE,
            "company_name": company["name"],
            "credit_code": credit_code,
            "policy": policy,
            "amount": "10000.00",
            "bank": company["bank_name"],
            "account": company["bank_account"],
            "contact_name": "张探测",
            "contact_phone": "13800000000",
            "remark": "探测用虚构申请，不会提交。",
            "subsidy_promise": True,
            "subsidy_application_form": disbursement_form(
                {"platform_ref": REFERENCE, "amount_yuan": "10000.00"}, company, policy
            ),
        }
    expires = today + timedelta(days=60)
    case = {"platform_ref": REFERENCE, "score": 0.9, "model_version": "probe", "reasons": {}}
    licence = {
        "holder_name": "鄂托克旗探测示例餐饮店",
        "subject_key": credit_code,
        "licence_no": "JY11506240000001",
        "issuer": "鄂托克旗市场监督管理局",
        "valid_from": date(expires.year - 5, expires.month, min(expires.day, 28)) + timedelta(days=1),
        "expires_on": expires,
        "address": "鄂托克旗乌兰镇团结路1号",
        "business_form": "餐饮服务经营者",
        "business_items": "热食类食品制售",
        "mobile": "+8613800000000",
        "updated_at": today,
    }
    subject = {
        "credit_code": credit_code,
        "legal_rep": "张探测",
        "address": "鄂托克旗乌兰镇团结路1号",
        "updated_at": today,
    }
    return renewal_fields(case, licence, subject)
