"""`proactive simulate` on a short period of a small county: the targets are checked and the cases that miss one are
named, an approver who never decides makes the median miss, the same seed gives the same period, every output names
its stand-ins. Nothing here depends on how fast the machine is: the clock is the simulation's."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from agent.cli import app
from agent.simulate import Plan, Year, fresh_output, simulate
from agent.simulate_report import print_year, targets_of, write_summary
from domain.kpi.targets import Target
from ground.settings import Settings
from tests.conftest import postgres_database

pytestmark = pytest.mark.slow

START = date(2027, 1, 4)  # a Monday
DAYS = 30
LICENCES = 300


@dataclass
class Run:
    year: Year
    targets: list[Target]
    output: str
    summary: dict[str, object]

    def target(self, starts: str) -> Target:
        return next(t for t in self.targets if t.label.startswith(starts))


def run(plan: Plan) -> Run:
    console = Console(file=io.StringIO(), width=240)
    sim, year = simulate(Settings.model_validate({}), plan, console)
    targets = targets_of(sim, year)
    print_year(console, year, targets)
    write_summary(plan.output / "summary.json", year, targets)
    sim.engine.dispose()
    summary = json.loads((plan.output / "summary.json").read_text(encoding="utf-8"))
    assert isinstance(console.file, io.StringIO)
    return Run(year, targets, console.file.getvalue(), summary)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run(Plan(START, DAYS, LICENCES, 7, tmp_path_factory.mktemp("month")))


@pytest.fixture(scope="module")
def postgres_store() -> Iterator[str]:
    url = postgres_database("simulate")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture(scope="module")
def market_never_decides(tmp_path_factory: pytest.TempPathFactory, postgres_store: str) -> Run:
    output = tmp_path_factory.mktemp("never")
    plan = Plan(START, DAYS, LICENCES, 7, output, postgres_store, never_decides=frozenset({"market"}))
    return run(plan)


def test_the_four_targets_are_checked(month: Run) -> None:
    assert [t.label for t in month.targets] == [
        "可联系持证人到期未延续 = 0",
        "提交至审批决定中位数 ≤ 1 个工作日",
        "逾期案件全部催办",
        "每位持证人每日短信不超过 3 条",
    ]
    assert "目标核对" in month.output


def test_the_officers_file_assisted_renewals_and_the_decisions_come_back(month: Run) -> None:
    assert month.year.registry_changes.get("officer filings", 0) > 0
    assert int(str(month.summary["figures"]["filed"])) > 0  # type: ignore[index]
    assert int(str(month.summary["figures"]["decided"])) > 0  # type: ignore[index]


def test_with_every_approver_deciding_the_median_and_the_chases_are_met(month: Run) -> None:
    assert month.target("提交至审批决定").met
    assert month.target("逾期案件").met
    assert month.target("每位持证人").met


def test_a_missed_lapse_target_names_each_case_and_why(month: Run) -> None:
    lapsed = month.target("可联系持证人")
    assert lapsed.met == (lapsed.missed_count == 0)
    for miss in lapsed.misses:
        assert "到期未延续" in miss and "path" in miss and miss in month.output


@pytest.mark.postgres
def test_an_approver_who_never_decides_misses_the_median_and_names_the_cases(market_never_decides: Run) -> None:
    median = market_never_decides.target("提交至审批决定")
    assert not median.met
    assert median.misses and all("undecided at" in miss or "—" in median.measured for miss in median.misses)
    assert "未达成" in market_never_decides.output
    assert median.misses[0] in market_never_decides.output


@pytest.mark.postgres
def test_the_cases_waiting_on_the_silent_department_are_all_chased(market_never_decides: Run) -> None:
    assert market_never_decides.target("逾期案件").met
    assert int(str(market_never_decides.summary["figures"]["chases"])) > 0  # type: ignore[index]


def test_the_same_seed_gives_the_same_period(tmp_path: Path) -> None:
    first = run(Plan(START, 8, LICENCES, 11, tmp_path / "first"))
    again = run(Plan(START, 8, LICENCES, 11, tmp_path / "again"))
    assert first.summary["figures"] == again.summary["figures"]
    assert first.summary["targets"] == again.summary["targets"]


def test_every_output_names_the_stand_ins(month: Run) -> None:
    for stand_in in month.summary["stand_ins"]:  # type: ignore[attr-defined]
        assert f"STAND-IN {stand_in}" in month.output
    assert "slow department is science" in month.output


def test_the_weekly_plots_are_written(month: Run) -> None:
    assert month.year.plots and all(plot.suffix == ".png" and plot.stat().st_size > 0 for plot in month.year.plots)


def test_the_command_is_registered() -> None:
    result = CliRunner().invoke(app, ["simulate", "--help"])
    assert result.exit_code == 0
    assert "--never-decides" in result.output


def test_a_run_starts_from_a_fresh_store_but_keeps_the_generated_county(tmp_path: Path) -> None:
    for name in ("proactive.db", "proactive.db-wal", "platform.db", "sms-gateway.db", "summary.json"):
        (tmp_path / name).write_text("last run")
    (tmp_path / "plots").mkdir()
    (tmp_path / "county").mkdir()
    (tmp_path / "county" / "licences.csv").write_text("kept")

    fresh_output(tmp_path)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["county"]
    assert (tmp_path / "county" / "licences.csv").read_text() == "kept"


def test_the_summary_keeps_the_wall_and_the_cpu_time_of_each_step(month: Run) -> None:
    """The benchmark compares runs on a shared machine by the simulating process's CPU, step by step."""
    wall, cpu = month.summary["step_seconds"], month.summary["step_cpu_seconds"]
    assert isinstance(wall, dict) and isinstance(cpu, dict)
    assert set(cpu) == set(wall) and "10:30" in cpu
    assert all(seconds >= 0 for seconds in cpu.values()) and sum(cpu.values()) > 0
