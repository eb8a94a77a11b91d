"""The scheduled refresh routes what its scan found, and says so in the job run when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from agent.jobs import refresh
from agent.runtime import Runtime
from ground.settings import RegistrySource, Settings
from ground.store.tables import case_transitions, cases, job_runs, licences
from models.config import load_history_words, load_label
from models.publish import train_and_publish
from sandbox.registry import generate_county
from tests.models.conftest import AS_OF, NOW, load_county


def runtime_for(folder: Path, models_dir: Path) -> Runtime:
    settings = Settings(
        database_url=f"sqlite:///{folder / 'store.db'}",
        var_dir=folder,
        model={"dir": models_dir},
    )
    return Runtime(settings)


@pytest.fixture(scope="module")
def county_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("refresh")
    load_county(folder, 3000, seed=5).dispose()
    return folder


def test_without_a_model_the_cases_wait_and_the_run_says_why(county_dir: Path, tmp_path: Path) -> None:
    rt = runtime_for(county_dir, tmp_path / "no-models")

    run = refresh(rt)

    assert any("no trained model yet" in warning for warning in run.warnings)
    with rt.engine.connect() as connection:
        assert connection.execute(select(func.count()).where(cases.c.state == "routed")).scalar_one() == 0
        assert connection.execute(select(job_runs.c.status)).scalars().all() == ["degraded"]  # the cases wait


def test_with_a_model_the_refresh_routes_every_new_case(county_dir: Path) -> None:
    rt = runtime_for(county_dir, county_dir / "models")
    train_and_publish(rt.engine, rt.models_dir, load_history_words(), load_label(), 0.98, 0.5, NOW)

    run = refresh(rt)

    with rt.engine.connect() as connection:
        grouped = connection.execute(select(cases.c.state, func.count()).group_by(cases.c.state)).all()
        routed = connection.execute(
            select(func.count()).where(case_transitions.c.old_state == "new", case_transitions.c.new_state == "routed")
        ).scalar_one()
    states = {state: count for state, count in grouped}
    assert states.get("new", 0) == 0 and states["routed"] > 0
    assert sum(run.counts["scoring"]["by_route"].values()) == routed
    # then the renewal round put each where the law says: seamless ones before their holders, expired ones lapsed
    assert run.counts["renewal"]["invited"] == states.get("awaiting_consent", 0) > 0


def test_an_unreadable_source_fails_only_itself_and_the_night_goes_on(tmp_path: Path) -> None:
    generate_county(tmp_path / "exports", 400, seed=3, as_of=AS_OF)
    (tmp_path / "exports" / "subjects.csv").write_bytes("编号,名称\nX1,某公司\n".encode())  # not the columns
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'store.db'}",
        var_dir=tmp_path,
        model={"dir": tmp_path / "no-models"},
        registries=[
            RegistrySource(name="market", mapping="county_subjects", path=tmp_path / "exports" / "subjects.csv"),
            RegistrySource(name="permits", mapping="county_licences", path=tmp_path / "exports" / "licences.csv"),
        ],
    )
    rt = Runtime(settings)

    run = refresh(rt)

    assert run.counts["load:permits"]["inserted"] > 0
    assert {"scan", "renewal"} <= set(run.counts), "the scan and the renewal round ran on what was loaded"
    assert any(w.startswith("source market not loaded:") and "are not in the export" in w for w in run.warnings)
    with rt.engine.connect() as connection:
        assert connection.execute(select(job_runs.c.status)).scalars().all() == ["degraded"]
        assert connection.execute(select(func.count()).select_from(licences)).scalar_one() > 0
        assert connection.execute(select(func.count()).select_from(cases)).scalar_one() > 0
