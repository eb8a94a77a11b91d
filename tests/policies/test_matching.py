"""Matching on small populations: dated parameters and terms switch on the right day, amounts, exclusions, traces."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from domain.policies.loading import load_policies, load_policy
from domain.policies.match import empty_history, match
from domain.policies.model import Policy
from domain.policies.population import Population
from tests.policies.conftest import SHIPPED, write

POLICIES = load_policies(SHIPPED).policies
FIRM = {"kind": "enterprise", "status": "active", "abnormal_list": False, "serious_violation_list": False}


def granted(subjects: list[dict[str, Any]], day: date, history: pd.DataFrame | None = None) -> pd.DataFrame:
    population = Population.from_records([{"subject_key": f"S{i}", **s} for i, s in enumerate(subjects)])
    return match(POLICIES.values(), population, day, history).granted


LOAN_FIRM = FIRM | {"employees": 20, "tax_credit_rating": "A", "new_loans_10k_yuan": 100}
LOAN_FIRM["registered_on"] = date(2020, 1, 1)


def loan_subsidy(policies: Iterable[Policy], day: date) -> int:
    population = Population.from_records([{"subject_key": "S", **LOAN_FIRM}])
    found = match(policies, population, day).granted.set_index("policy_id")["amount_yuan"]
    return int(found["loan_interest_subsidy"])


def test_last_years_loans_keep_last_years_rate_when_matched_after_a_new_rate_came_in() -> None:
    # 1% until 30 June 2026, 1.5% from 1 July 2026; the policy pays for the previous year's loans.
    days = (date(2026, 6, 30), date(2026, 7, 1), date(2027, 3, 1))
    amounts = {day: loan_subsidy(POLICIES.values(), day) for day in days}
    assert amounts == {date(2026, 6, 30): 10000, date(2026, 7, 1): 10000, date(2027, 3, 1): 15000}


def test_a_policy_that_pays_with_the_matching_days_values_switches_on_the_day(tmp_path: Path) -> None:
    text = (SHIPPED / "loan_interest_subsidy.yaml").read_text(encoding="utf-8")
    text = text.replace("period: previous_year", "period: previous_year\nparameters_as_of: matching")
    policy = load_policy(write(tmp_path, "loan_interest_subsidy.yaml", text))
    amounts = {day: loan_subsidy([policy], day) for day in (date(2026, 6, 30), date(2026, 7, 1))}
    assert amounts == {date(2026, 6, 30): 10000, date(2026, 7, 1): 15000}


def test_a_policy_is_matched_only_while_in_force(tmp_path: Path) -> None:
    text = (SHIPPED / "tech_sme_award.yaml").read_text(encoding="utf-8")
    ending = write(
        tmp_path,
        "tech_sme_award.yaml",
        text.replace("effective: {from: 2024-01-01}", "effective: {from: 2024-01-01, to: 2026-06-30}"),
    )
    policy = load_policy(ending)
    population = Population.from_records([{"subject_key": "S", **FIRM, "tech_sme_on": date(2026, 3, 1)}])
    last_day = match([policy], population, date(2026, 6, 30))
    after = match([policy], population, date(2026, 7, 1))
    assert len(last_day.granted) == 1 and after.granted.empty
    assert "not in force on 2026-07-01" in after.skipped["tech_sme_award"]


def test_a_missing_figure_pays_nothing_and_a_missing_fact_never_passes() -> None:
    no_revenue = FIRM | {"industry_code": "C2614", "rd_share": 5.0}
    no_rating = FIRM | {"employees": 20, "new_loans_10k_yuan": 100, "registered_on": date(2020, 1, 1)}
    found = granted([no_revenue, no_rating], date(2026, 11, 25))
    assert found.empty


def test_mutually_exclusive_policies_pay_the_higher_and_a_tie_goes_to_the_smaller_id() -> None:
    both = FIRM | {"high_tech_certified_on": date(2026, 2, 1), "tech_sme_on": date(2026, 2, 1)}
    only_sme = FIRM | {"tech_sme_on": date(2026, 2, 1)}
    found = granted([both, only_sme], date(2026, 11, 25))
    assert sorted(zip(found["row"], found["policy_id"], strict=True)) == [(0, "high_tech_award"), (1, "tech_sme_award")]


def test_once_in_years_counts_back_from_the_period() -> None:
    star = {"status": "active", "abnormal_list": False, "serious_violation_list": False}
    star |= {"tourism_stars": 3, "tourism_rated_on": date(2026, 5, 1)}
    history = pd.DataFrame(
        {
            "subject_key": ["S0", "S1"],
            "policy_id": ["rural_tourism_star_award"] * 2,
            "period": ["2024", "2023"],
            "paid": [True, True],
        }
    )
    found = granted([star, star], date(2026, 11, 25), history)
    assert found["row"].tolist() == [1]  # 2024 is within three years of 2026; 2023 is not


def test_the_trace_explains_each_match_with_the_subjects_values_and_the_parameters_in_force() -> None:
    firm = FIRM | {"graduates_hired": 3}
    population = Population.from_records([{"subject_key": "S", **firm}])
    matches = match(POLICIES.values(), population, date(2026, 11, 25), empty_history())
    [trace] = matches.traces("graduate_hiring_subsidy", matches.outcomes["graduate_hiring_subsidy"].rows)
    assert trace["eligible"] and trace["amount_yuan"] == 3000 and trace["period"] == "2025"
    assert trace["parameters_on"] == "2025-12-31"  # the 2025 hires are paid at 2025's rate, not 2026's
    assert all(check["passed"] for check in trace["conditions"])
    hired = next(check for check in trace["conditions"] if check["attribute"] == "graduates_hired")
    assert (hired["value"], hired["value_text"], hired["condition"]) == (3, "3人", "上年新招用高校毕业生 ≥ 1人")
    per = trace["amount"]["parameters"]["per_graduate"]
    assert (
        per == {"value": 1000, "in_force_from": "2024-01-01", "reference": per["reference"]}
        and "1000" in per["reference"]
    )
    assert trace["policy"]["version"] == POLICIES["graduate_hiring_subsidy"].version


@pytest.mark.parametrize("policy_id", sorted(POLICIES))
def test_every_shipped_policy_words_each_of_its_conditions(policy_id: str) -> None:
    population = Population.from_records([{"subject_key": "S"}])
    matches = match([POLICIES[policy_id]], population, date(2026, 11, 25))
    [trace] = matches.traces(policy_id, np.zeros(1, dtype=np.int64))
    assert not trace["eligible"]
    assert all(
        check["condition"] and check["value_text"] == "无记录" and not check["passed"] for check in trace["conditions"]
    )
