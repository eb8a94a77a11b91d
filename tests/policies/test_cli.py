"""`proactive policy …` as an operator runs it: list, test, preview a draft, match, explain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from agent.cli import app, console
from ground.store import open_store
from ground.store.tables import cases, subjects
from tests.policies.conftest import SHIPPED, load_subjects, write

RUNNER = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped policies as the configured folder, and an empty store."""
    copy = tmp_path / "policies"
    shutil.copytree(SHIPPED, copy)
    monkeypatch.setenv("PROACTIVE_POLICIES__FOLDER", str(copy))
    monkeypatch.setenv("PROACTIVE_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setattr(console, "width", 250)  # whole table cells, as on an operator's wide terminal
    return copy


@pytest.fixture
def loaded(folder: Path, tmp_path: Path, county_subjects: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The county's subjects in the store; cases are made for the shipped policies, placeholders and all."""
    monkeypatch.setenv("PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES", "true")
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    load_subjects(engine, county_subjects)
    return engine


def subsidy_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).where(cases.c.kind == "subsidy")).scalar_one())


def test_policy_test_passes_on_the_shipped_folder(folder: Path) -> None:
    result = RUNNER.invoke(app, ["policy", "test"])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_policy_test_fails_on_a_wrong_expectation_and_on_an_untested_policy(folder: Path) -> None:
    cases_file = folder / "tests" / "graduate_hiring_subsidy.yaml"
    cases_file.write_text(cases_file.read_text(encoding="utf-8").replace("6000}", "6500}"), encoding="utf-8")
    (folder / "tests" / "tech_sme_award.yaml").unlink()
    result = RUNNER.invoke(app, ["policy", "test"])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "1 failed" in result.output
    assert "no test cases: tech_sme_award" in result.output


def test_policy_list_names_a_broken_file_and_its_line(folder: Path) -> None:
    text = (folder / "graduate_hiring_subsidy.yaml").read_text(encoding="utf-8")
    write(folder, "graduate_hiring_subsidy.yaml", text.replace("attribute: graduates_hired", "attribute: graduates"))
    result = RUNNER.invoke(app, ["policy", "list"])
    assert result.exit_code == 1
    assert "left out" in result.output and "graduate_hiring_subsidy.yaml: line 17:" in result.output
    assert "unknown attribute 'graduates'" in result.output and "8 policies" in result.output


def test_policy_list_as_json_lists_the_good_policies_and_names_the_broken_file_apart(folder: Path) -> None:
    text = (folder / "graduate_hiring_subsidy.yaml").read_text(encoding="utf-8")
    write(folder, "graduate_hiring_subsidy.yaml", text.replace("attribute: graduates_hired", "attribute: graduates"))
    result = RUNNER.invoke(app, ["policy", "list", "--json"])
    assert result.exit_code == 1
    listed = json.loads(result.stdout)
    assert len(listed) == 8 and "graduate_hiring_subsidy" not in {policy["id"] for policy in listed}
    award = next(policy for policy in listed if policy["id"] == "tech_sme_award")
    assert award["category"] and award["starts"] and award["reference"]
    assert "graduate_hiring_subsidy.yaml: line 17:" in result.stderr


def test_preview_shows_who_drops_out_and_the_cost_and_stores_nothing(
    loaded: Engine, tmp_path: Path, folder: Path
) -> None:
    draft = tmp_path / "draft.yaml"
    text = (folder / "loan_interest_subsidy.yaml").read_text(encoding="utf-8")
    draft.write_text(text.replace("op: ge, value: 10}", "op: ge, value: 50}"), encoding="utf-8")
    result = RUNNER.invoke(app, ["policy", "preview", str(draft), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert "drop out" in result.output and "上年新增银行贷款 ≥ 50万元" in result.output
    assert "0 newly qualify" in result.output
    assert "loan_interest_subsidy cite placeholder references" in result.output
    assert subsidy_count(loaded) == 0


def test_preview_refuses_a_file_already_in_the_folder(loaded: Engine, folder: Path) -> None:
    result = RUNNER.invoke(app, ["policy", "preview", str(folder / "loan_interest_subsidy.yaml")])
    assert result.exit_code == 1 and "already in the policy folder" in result.output


def test_match_creates_the_cases_and_explain_shows_each_condition(loaded: Engine) -> None:
    result = RUNNER.invoke(app, ["policy", "match", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    created = subsidy_count(loaded)
    assert created > 0 and f"cases: {created} new" in result.output
    with loaded.connect() as connection:
        subject = connection.execute(
            select(cases.c.subject_key).where(cases.c.policy_id == "graduate_hiring_subsidy").limit(1)
        ).scalar_one()
    shown = RUNNER.invoke(app, ["policy", "explain", subject, "graduate_hiring_subsidy", "--as-of", "2026-11-25"])
    assert shown.exit_code == 0, shown.output
    assert "符合" in shown.output and "上年新招用高校毕业生 ≥ 1人" in shown.output and "核定金额" in shown.output


def test_by_default_placeholder_policies_are_matched_and_explained_but_make_no_cases(
    loaded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES")
    result = RUNNER.invoke(app, ["policy", "match", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert subsidy_count(loaded) == 0 and "cases: 0 new" in result.output
    assert "new subsidy matches held back" in result.output and "graduate_hiring_subsidy (" in result.output
    with loaded.connect() as connection:
        subject = connection.execute(select(subjects.c.subject_key).where(subjects.c.graduates_hired > 0)).scalar()
    shown = RUNNER.invoke(app, ["policy", "explain", str(subject), "graduate_hiring_subsidy", "--as-of", "2026-11-25"])
    assert shown.exit_code == 0 and "核定金额" in shown.output
    assert "graduate_hiring_subsidy cite placeholder references (〔待填…〕)" in shown.output


def test_a_bad_matching_schedule_stops_start_up_and_names_the_setting(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROACTIVE_POLICIES__MATCH_CRON", "after lunch")
    result = RUNNER.invoke(app, ["policy", "list"])
    assert result.exit_code == 2 and "PROACTIVE_POLICIES__MATCH_CRON" in result.output


def test_cases_list_shows_subsidy_cases_with_their_policy_and_amount(loaded: Engine) -> None:
    assert RUNNER.invoke(app, ["policy", "match", "--as-of", "2026-11-25"]).exit_code == 0
    with loaded.connect() as connection:
        first = connection.execute(
            select(cases).where(cases.c.policy_id == "tech_sme_award").order_by(cases.c.id).limit(1)
        ).one()
    listed = RUNNER.invoke(app, ["cases", "list", "--policy", "tech_sme_award", "--limit", "1"])
    assert listed.exit_code == 0, listed.output
    assert first.subject_key in listed.output and "20,000" in listed.output and "routed" in listed.output
    counted = RUNNER.invoke(app, ["cases", "list", "--kind", "subsidy", "--count"])
    assert counted.output.strip() == str(subsidy_count(loaded))
