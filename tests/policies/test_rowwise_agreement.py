"""The vectorised policy evaluation agrees, subject by subject, with the plain-Python evaluator of the same rules
(`benchmarks.policy_rowwise`), for every shipped policy on dates around its parameter changes.

A generated county rarely puts a date exactly on a condition's boundary, so each check also runs on copies of
qualifying subjects with the tested date moved to the day before, on and after every boundary.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

import domain.policies.conditions
from benchmarks.policy_rowwise import RowResult, evaluate_row, read_subject_records
from benchmarks.policy_variants import write_policy_folder
from domain.licence_types import load_licence_types
from domain.policies.attributes import ATTRIBUTES, Kind
from domain.policies.evaluate import evaluate, qualifying
from domain.policies.loading import load_policies
from domain.policies.model import Op, Policy
from domain.policies.periods import years_before
from domain.policies.population import KEY, Population
from domain.policies.resolution import NotApplicable, Resolution, resolve
from domain.policies.run import read_population
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from ground.store import open_store
from sandbox.registry import SUBJECTS_FILE, generate_county

REPO = Path(__file__).resolve().parents[2]
COUNTY_AS_OF = date(2026, 11, 25)
LICENCES = 4_000
DATES = (
    date(2024, 1, 1),  # the newer policies come into force
    date(2025, 12, 31),  # the last day of the 2025 amounts
    date(2026, 1, 1),  # new amounts for the graduate and high-tech policies
    date(2026, 6, 30),  # loan_interest_subsidy's last day at 1 %
    date(2026, 7, 1),  # and its first at 1.5 %
    COUNTY_AS_OF,
)
COPIES_PER_BOUNDARY = 3
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class County:
    population: Population
    records: list[dict[str, Any]]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    """A generated county's subjects loaded through the shipped mapping, read both ways."""
    folder = tmp_path_factory.mktemp("county")
    generate_county(folder / "exports", LICENCES, seed=5, as_of=COUNTY_AS_OF)
    engine: Engine = open_store(f"sqlite:///{folder / 'store.db'}")
    now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    load_export(engine, load_mapping("county_subjects"), load_licence_types(), now, folder / "exports" / SUBJECTS_FILE)
    with engine.connect() as connection:
        yield County(read_population(connection), read_subject_records(connection))
    engine.dispose()


@pytest.fixture(scope="module")
def shipped() -> list[Policy]:
    loaded = load_policies(REPO / "policies")
    assert not loaded.errors
    return list(loaded.policies.values())


def disagreements(resolution: Resolution, population: Population, records: Sequence[dict[str, Any]]) -> list[str]:
    """Every subject whose vectorised result (conditions met, amount) differs from the per-row one."""
    met = qualifying(resolution, population)
    outcome = evaluate(resolution.policy, population, resolution.as_of)
    paid = dict(zip(outcome.rows.tolist(), outcome.amounts.tolist(), strict=True))
    position = {key: row for row, key in enumerate(population.keys.tolist())}
    found = []
    for record in records:
        row = position[record[KEY]]
        vectorised = RowResult(bool(met[row]), paid.get(row, 0))
        per_row = evaluate_row(resolution, record)
        if vectorised != per_row:
            found.append(f"{resolution.policy.id} on {resolution.as_of}, {record[KEY]}: {vectorised} != {per_row}")
    return found


def boundaries(resolution: Resolution) -> list[tuple[str, date]]:
    """(date attribute, boundary day) for each date condition of the policy on its matching date."""
    found = []
    for condition in resolution.policy.conditions:
        if ATTRIBUTES[condition.attribute].kind is Kind.DATE and condition.op is not Op.PRESENT:
            days = boundary_days(condition.op, resolution.required(condition.value), resolution)
            found += [(condition.attribute, day) for day in days]
    return found


def boundary_days(op: Op, required: Any, resolution: Resolution) -> list[date]:
    as_of, span = resolution.as_of, resolution.span
    if op is Op.IN_PERIOD:
        return [span.starts, min(span.ends, as_of)]
    if op is Op.WITHIN_YEARS:
        return [years_before(as_of, int(required)), as_of]
    if op is Op.AT_LEAST_YEARS_AGO:
        return [years_before(as_of, int(required))]
    return [required]  # on_or_after, before: the day named


def edge_records(resolution: Resolution, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of a few subjects that qualify with the date on a boundary, dated the day before, on and after it."""
    edges = []
    for attribute, day in boundaries(resolution):
        bases = [r for r in records if evaluate_row(resolution, {**r, attribute: day}).qualifies]
        for base in bases[:COPIES_PER_BOUNDARY]:
            for moved in (day - ONE_DAY, day, day + ONE_DAY):
                edges.append({**base, KEY: f"{base[KEY]}@{attribute}={moved}", attribute: moved})
    return edges


def resolved(policies: Sequence[Policy], as_of: date) -> list[Resolution]:
    out = []
    for policy in policies:
        try:
            out.append(resolve(policy, as_of))
        except NotApplicable:
            continue  # not in force that day: the vectorised evaluation raises the same from the same resolve
    return out


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_every_shipped_policy_agrees_with_the_per_row_evaluator(
    county: County, shipped: list[Policy], as_of: date
) -> None:
    resolutions = resolved(shipped, as_of)
    assert resolutions, f"no shipped policy is in force on {as_of}"
    for resolution in resolutions:
        assert disagreements(resolution, county.population, county.records) == []


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_they_agree_on_each_side_of_every_date_boundary(shipped: list[Policy], county: County, as_of: date) -> None:
    crossed = 0
    for resolution in resolved(shipped, as_of):
        edges = edge_records(resolution, county.records)
        assert disagreements(resolution, Population.from_records(edges), edges) == []
        crossed += len({evaluate_row(resolution, edge).qualifies for edge in edges}) == 2
    assert crossed > 0, "no boundary was crossed: the edge copies test nothing"


def test_the_county_gives_every_shipped_policy_some_cases(county: County, shipped: list[Policy]) -> None:
    # An agreement on nobody would prove nothing: on the county's own date every policy pays someone.
    for policy in shipped:
        resolution = resolve(policy, COUNTY_AS_OF)
        assert any(evaluate_row(resolution, r).amount > 0 for r in county.records), policy.id


def test_the_loan_interest_rate_of_1_july_2026_pays_the_2026_loans_not_the_2025_ones(
    county: County, shipped: list[Policy]
) -> None:
    loan = next(p for p in shipped if p.id == "loan_interest_subsidy")

    def total(as_of: date) -> int:
        return sum(evaluate_row(resolve(loan, as_of), r).amount for r in county.records)

    assert total(date(2027, 3, 1)) > total(date(2026, 7, 1)) == total(date(2026, 6, 30)) > 0


def test_the_comparison_catches_an_off_by_one_in_a_date_condition(
    county: County, shipped: list[Policy], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The vectorised code alone counts "N years before" a day late; the per-row evaluator keeps the real one.
    def late(day: date, years: int) -> date:
        return years_before(day, years) + ONE_DAY

    monkeypatch.setattr(domain.policies.conditions, "years_before", late)
    found = []
    for resolution in resolved(shipped, COUNTY_AS_OF):
        edges = edge_records(resolution, county.records)
        found += disagreements(resolution, Population.from_records(edges), edges)
    assert found


def test_the_benchmarks_fifty_policies_agree_too(county: County, tmp_path: Path) -> None:
    # The policies suite compares the two on its township and industry editions: they must agree there as well.
    policies = list(write_policy_folder(tmp_path).values())
    for resolution in resolved(policies, COUNTY_AS_OF):
        assert disagreements(resolution, county.population, county.records) == []
