"""A generated county loaded into a store, and a model trained on it: shared by the model tests of one worker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from domain.licence_types import load_licence_types
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from domain.scan.run import run_scan
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.store import open_store
from models.config import load_history_words, load_label
from models.publish import TrainingResult, train_and_publish
from sandbox.registry import generate_county

AS_OF = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
FILES = (("county_subjects", "subjects.csv"), ("county_licences", "licences.csv"), ("county_events", "events.csv"))


@dataclass(frozen=True)
class County:
    engine: Engine
    models_dir: Path
    trained: TrainingResult


def load_county(folder: Path, licences: int, seed: int, url: str | None = None) -> Engine:
    """A generated county loaded into the store at `url` (default: a SQLite file in `folder`)."""
    generate_county(folder / "exports", licences, seed=seed, as_of=AS_OF)
    engine = open_store(url or f"sqlite:///{folder / 'store.db'}")
    types = load_licence_types()
    for mapping, file in FILES:
        load_export(engine, load_mapping(mapping), types, NOW, folder / "exports" / file)
    return engine


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    """6,000 licences (about 4,500 historical renewals), trained with the shipped label and wording, then scanned."""
    folder = tmp_path_factory.mktemp("county")
    engine = load_county(folder, 6000, seed=11)
    trained = train_and_publish(engine, folder / "models", load_history_words(), load_label(), 0.98, 0.5, NOW)
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    run_scan(engine, load_licence_types(), calendar, AS_OF, NOW)
    yield County(engine, folder / "models", trained)
    engine.dispose()
