"""A generated county in a store (SQLite and PostgreSQL), scanned as of its day, its food cases routed seamless and
the others reminded — as scoring would leave them — for the renewal round to put where the law says."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from domain.licence_types import LicenceType, load_licence_types
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from domain.scan.run import run_scan
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.store.tables import cases
from sandbox.registry import generate_county

AS_OF = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
FILES = (("county_subjects", "subjects.csv"), ("county_licences", "licences.csv"), ("county_events", "events.csv"))


@dataclass
class County:
    engine: Engine
    types: dict[str, LicenceType]
    calendar: WorkingDayCalendar

    def renewals(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(cases).where(cases.c.kind == "renewal").order_by(cases.c.id))
            return [dict(row) for row in rows.mappings()]


@pytest.fixture(scope="session")
def county_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("renewal-county")
    generate_county(folder, 1500, seed=7, as_of=AS_OF)
    return folder


@pytest.fixture
def county(store: Engine, county_exports: Path) -> Iterator[County]:
    types = load_licence_types()
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    for mapping, file in FILES:
        load_export(store, load_mapping(mapping), types, NOW, county_exports / file)
    run_scan(store, types, calendar, AS_OF, NOW)
    with store.begin() as connection:
        routed = update(cases).where(cases.c.kind == "renewal", cases.c.state == "new")
        connection.execute(
            routed.where(cases.c.licence_type == "food_business").values(state="routed", route="seamless")
        )
        connection.execute(routed.values(state="routed", route="remind"))
    yield County(store, types, calendar)
