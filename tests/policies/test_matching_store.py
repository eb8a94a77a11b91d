"""Matching the generated county in the store (SQLite and PostgreSQL): one case per subject + policy + period,
created once, explained, and withdrawn with the reasons when the subject stops qualifying before payment."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import Engine, select, update

from domain.policies.loading import load_policies
from domain.policies.run import run_matching
from ground.cases.lifecycle import State
from ground.store.tables import case_transitions, cases, subjects
from tests.policies.conftest import AS_OF, NOW, SHIPPED, load_subjects

POLICIES = load_policies(SHIPPED).policies


def subsidy_cases(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(select(cases).where(cases.c.kind == "subsidy").order_by(cases.c.id)).mappings()
        return [dict(row) for row in rows]


def test_the_county_matches_every_policy_once_and_a_rerun_changes_nothing(store: Engine, county_subjects: Path) -> None:
    load_subjects(store, county_subjects)
    first = run_matching(store, POLICIES.values(), AS_OF, NOW, allow_placeholders=True)
    assert first.created > 0 and first.withdrawn == 0 and not first.skipped
    assert (first.per_policy["matches"] > 0).all() and set(first.per_policy.index) == set(POLICIES)
    again = run_matching(store, POLICIES.values(), AS_OF, NOW, allow_placeholders=True)
    assert (again.created, again.unchanged, again.withdrawn) == (0, first.created, 0)
    made = subsidy_cases(store)
    assert len(made) == first.created == len({case["natural_key"] for case in made})
    assert sum(case["amount_yuan"] for case in made) == first.per_policy["amount_yuan"].sum()  # type: ignore[misc]
    case = made[0]
    assert case["state"] == State.ROUTED and case["route"] == "seamless"
    assert case["natural_key"] == f"subsidy:{case['subject_key']}:{case['policy_id']}:{case['period']}"
    assert case["policy_version"] == POLICIES[str(case["policy_id"])].version
    with store.connect() as connection:
        ledger = connection.execute(select(case_transitions).where(case_transitions.c.case_id == case["id"])).all()
    assert len(ledger) == 1 and ledger[0].new_state == "routed" and "元" in ledger[0].reason


def test_policies_citing_placeholder_references_are_matched_but_make_no_cases_unless_allowed(
    store: Engine, county_subjects: Path, tmp_path: Path
) -> None:
    load_subjects(store, county_subjects)
    shutil.copytree(SHIPPED, tmp_path / "policies")
    tech = tmp_path / "policies" / "tech_sme_award.yaml"
    filled = re.sub(r"〔待填：[^\n]*?〕(?=[,}\n])", "鄂府发〔2024〕12号 第五条", tech.read_text("utf-8"))
    tech.write_text(filled, "utf-8")
    policies = load_policies(tmp_path / "policies").policies
    assert not policies["tech_sme_award"].placeholder_references
    report = run_matching(store, policies.values(), AS_OF, NOW, allow_placeholders=False)
    made = subsidy_cases(store)
    assert made and {case["policy_id"] for case in made} == {"tech_sme_award"} and report.created == len(made)
    assert set(report.held_back) == set(POLICIES) - {"tech_sme_award"} and all(report.held_back.values())
    assert report.held_back["high_tech_award"] == report.per_policy["matches"]["high_tech_award"]
    [warning] = report.warnings
    assert "placeholder references" in warning and "high_tech_award" in warning and "tech_sme_award " not in warning


def test_each_trace_holds_the_subjects_own_values(store: Engine, county_subjects: Path) -> None:
    load_subjects(store, county_subjects)
    run_matching(store, POLICIES.values(), AS_OF, NOW, allow_placeholders=True)
    with store.connect() as connection:
        facts = {row.subject_key: row._mapping for row in connection.execute(select(subjects))}
    for case in subsidy_cases(store)[:300]:
        trace = case["trace"]
        assert isinstance(trace, dict) and trace["eligible"] and trace["amount_yuan"] == case["amount_yuan"]
        subject = facts[case["subject_key"]]
        for check in trace["conditions"]:
            stored = subject[check["attribute"]]
            assert check["passed"]
            assert check["value"] == (stored.isoformat() if hasattr(stored, "isoformat") else stored), check


def test_a_subject_that_stops_qualifying_is_withdrawn_with_the_reason_unless_paid(
    store: Engine, county_subjects: Path
) -> None:
    load_subjects(store, county_subjects)
    run_matching(store, POLICIES.values(), AS_OF, NOW, allow_placeholders=True)
    made = [case for case in subsidy_cases(store) if case["policy_id"] == "graduate_hiring_subsidy"]
    unpaid, paid = made[0], made[1]
    with store.begin() as connection:
        flagged = [unpaid["subject_key"], paid["subject_key"]]
        connection.execute(update(subjects).where(subjects.c.subject_key.in_(flagged)).values(abnormal_list=True))
        connection.execute(
            update(cases)
            .where(cases.c.id == paid["id"])
            .values(state=State.PAID.value, paid_at=NOW, payment_ref="PZ2026110001")
        )
    report = run_matching(store, POLICIES.values(), AS_OF, NOW, allow_placeholders=True)
    withdrawn = {case["id"] for case in subsidy_cases(store) if case["state"] == State.WITHDRAWN}
    assert unpaid["id"] in withdrawn and paid["id"] not in withdrawn
    assert report.withdrawn == len(withdrawn) >= 1
    with store.connect() as connection:
        entry = connection.execute(
            select(case_transitions).where(
                case_transitions.c.case_id == unpaid["id"], case_transitions.c.new_state == "withdrawn"
            )
        ).one()
    assert entry.reason.startswith("不再符合政策条件：") and "列入经营异常名录：否（实际：是）" in entry.reason
    assert entry.details["trace"]["eligible"] is False
    again = run_matching(store, POLICIES.values(), AS_OF, NOW, allow_placeholders=True)
    assert (again.created, again.withdrawn) == (0, 0)  # a withdrawn case is not matched back in on the same facts
    with store.begin() as connection:
        connection.execute(
            update(subjects).where(subjects.c.subject_key == unpaid["subject_key"]).values(abnormal_list=False)
        )
    back = run_matching(store, POLICIES.values(), AS_OF, NOW, allow_placeholders=True)
    its_withdrawn = [
        c for c in subsidy_cases(store) if c["subject_key"] == unpaid["subject_key"] and c["id"] in withdrawn
    ]
    assert (back.created, back.requalified) == (0, len(its_withdrawn)) and "not reopened" in back.warnings[0]
    assert next(c for c in subsidy_cases(store) if c["id"] == unpaid["id"])["state"] == State.WITHDRAWN
