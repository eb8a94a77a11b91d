"""`proactive bots probe`: a profile tried on each build with a synthetic case, every step in a table, nothing
submitted; a step the profile does not fit is a row that says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
from pydantic import SecretStr
from typer.testing import CliRunner

from agent.cli import app
from bots.probe import probe
from bots.profile import Control, load_profile
from bots.session import Platform
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from tests.bots.conftest import PASSWORD
from tests.conftest import patient

TODAY = date(2026, 11, 25)


def platform(url: str, profile: str, folder: Path) -> Platform:
    return Platform(
        base_url=url,
        profile=load_profile(profile),
        username="agent",
        password=SecretStr(PASSWORD),
        state_file=folder / "probe.session.json",
        trace_dir=folder,
        timeout_ms=int(patient(6_000)),
    )


def test_the_probe_walks_every_step_of_the_element_build_and_submits_nothing(tmp_path: Path) -> None:
    settings = PlatformSettings(db_path=tmp_path / "el.db", layout="element", admin=True, applicant_password=PASSWORD)
    with serving(settings) as url:
        rows = probe(platform(url, "element", tmp_path), TODAY)
        filed = httpx.get(f"{url}/_sandbox/applications").json()

    assert filed == [], "nothing submitted"
    assert all(row.found and row.filled is not False for row in rows), [r for r in rows if r.note and not r.found]
    fields = [row for row in rows if row.filled]
    profile = load_profile("element")
    assert {row.what for row in fields} >= {f for m in profile.matters.values() for p in m.pages for f in p.fields}
    shown = {row.what: row.read_back for row in fields if row.step.startswith("food_renewal")}
    assert shown["conditions_changed"] == "无变化" and shown["delivery"] == "快递邮寄", "read back in its words"
    assert shown["address"].startswith("内蒙古自治区 / 鄂尔多斯市 / 鄂托克旗")
    assert "PA-PROBE-0001-延续申请书.pdf" in shown["application_form"], "the upload's list item, marked done"
    assert all(Path(row.screenshot).is_file() for row in rows if row.screenshot)
    assert [row.note for row in rows if row.what == "button 「提 交」"] == ["not clicked: it submits"] * 2


def test_on_a_page_build_the_probe_shows_the_file_its_upload_would_post(tmp_path: Path) -> None:
    settings = PlatformSettings(db_path=tmp_path / "st.db", admin=True, applicant_password=PASSWORD)
    with serving(settings) as url:
        rows = probe(platform(url, "standard", tmp_path), TODAY)
        filed = httpx.get(f"{url}/_sandbox/applications").json()

    assert filed == [], "nothing submitted"
    uploads = {row.step: row for row in rows if row.what.endswith("application_form")}
    assert set(uploads) == {"food_renewal page 3", "subsidy page 2"}
    food, subsidy = uploads["food_renewal page 3"], uploads["subsidy page 2"]
    assert food.found and food.filled and food.read_back == "PA-PROBE-0001-延续申请书.pdf", "the file it will post"
    assert subsidy.found and subsidy.filled and subsidy.read_back == "PA-PROBE-0001-拨付申请书.pdf"
    assert [row.note for row in rows if row.what == "button 「确认提交」"] == ["not clicked: it submits"] * 2


def test_a_field_the_profile_misnames_is_a_row_that_says_not_found(tmp_path: Path) -> None:
    settings = PlatformSettings(db_path=tmp_path / "st.db", admin=True, applicant_password=PASSWORD)
    profile = load_profile("standard")
    wrong = profile.model_copy(update={"fields": profile.fields | {"holder_name": Control(label="经营者全称")}})
    with serving(settings) as url:
        rows = probe(replace(platform(url, "standard", tmp_path), profile=wrong), TODAY)

    [missed] = [row for row in rows if not row.found]
    assert (missed.step, missed.what) == ("food_renewal page 1", "holder_name") and "经营者全称" in missed.note


def test_the_probe_command_prints_the_table_and_fails_when_a_step_fails(tmp_path: Path) -> None:
    settings = PlatformSettings(
        db_path=tmp_path / "alt.db", layout="alternate", admin=True, applicant_password=PASSWORD
    )
    env = {"PROACTIVE_VAR_DIR": str(tmp_path / "var"), "PROACTIVE_PLATFORM__PASSWORD": PASSWORD, "COLUMNS": "200"}
    with serving(settings) as url:
        fits = CliRunner().invoke(app, ["bots", "probe", "--profile", "alternate", "--url", url], env=env)
        misfits = CliRunner().invoke(app, ["bots", "probe", "--profile", "standard", "--url", url], env=env)

    assert fits.exit_code == 0, fits.output
    assert "signed in" in fits.output and "screenshots in" in fits.output
    assert misfits.exit_code == 1 and "NO" in misfits.output
