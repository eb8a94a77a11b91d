"""The three real open-data exports load through their shipped mappings: every row loads, becomes history, or is
quarantined with its reason — on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from domain.licence_types import LicenceType
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from domain.scan.run import run_scan
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.store.tables import case_transitions, licence_events, licences, quarantine

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)

# (mapping, file, rows, licences, earlier terms, quarantined by reason)
EXPORTS = [
    # Chicago lists each licence once per term: 184 licences, their 377 earlier terms become history.
    ("chicago_business_licenses", "chicago_business_licenses_60651.csv", 561, 184, 377, {}),
    # One NYC row has no expiration date at all.
    ("nyc_dca_licenses", "nyc_dca_licenses_11231.csv", 705, 704, 0, {"missing expires_on": 1}),
    # South Bend carries 3 rows copied from another export's header (status "Status"), one exact repeat, and
    # one licence number listed twice with different phone numbers (the later line is kept).
    (
        "south_bend_business_licenses",
        "south_bend_business_licenses.csv",
        3344,
        3339,
        0,
        {"unknown status code": 3, "duplicate row": 1, "conflicting duplicate": 1},
    ),
]


def load(store: Engine, types: dict[str, LicenceType], mapping: str, path: Path) -> object:
    return load_export(store, load_mapping(mapping), types, NOW, path)


@pytest.mark.parametrize(("mapping", "file", "rows", "loaded", "terms", "reasons"), EXPORTS)
def test_every_row_of_a_real_export_is_loaded_or_quarantined_with_its_reason(
    store: Engine,
    licence_types: dict[str, LicenceType],
    real_data: Path,
    mapping: str,
    file: str,
    rows: int,
    loaded: int,
    terms: int,
    reasons: dict[str, int],
) -> None:
    report = load_export(store, load_mapping(mapping), licence_types, NOW, real_data / file)

    assert (report.rows_read, report.inserted, report.earlier_terms, report.reasons) == (rows, loaded, terms, reasons)
    assert report.inserted + report.earlier_terms + report.quarantined == rows
    with store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(licences)).scalar_one() == loaded
        assert connection.execute(select(func.count()).select_from(licence_events)).scalar_one() == terms
        stored = connection.execute(select(quarantine.c.reason, quarantine.c.line, quarantine.c.raw)).all()
    assert sorted(r.reason for r in stored) == sorted(r for r, n in reasons.items() for _ in range(n))
    assert all(r.line >= 2 and r.raw for r in stored), "a quarantined row keeps its line and its raw values"


@pytest.mark.parametrize(("mapping", "file"), [(m, f) for m, f, *_ in EXPORTS])
def test_reloading_a_real_export_changes_nothing(
    store: Engine, licence_types: dict[str, LicenceType], real_data: Path, mapping: str, file: str
) -> None:
    first = load_export(store, load_mapping(mapping), licence_types, NOW, real_data / file)
    second = load_export(store, load_mapping(mapping), licence_types, NOW, real_data / file)

    assert (second.inserted, second.updated, second.unchanged) == (0, 0, first.inserted)
    with store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(case_transitions)).scalar_one() == 0
        assert connection.execute(select(func.count()).select_from(quarantine)).scalar_one() == first.quarantined


def test_the_nyc_phone_numbers_in_several_formats_become_one_format(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], real_data: Path
) -> None:
    load_export(sqlite_store, load_mapping("nyc_dca_licenses"), licence_types, NOW, real_data / EXPORTS[1][1])

    with sqlite_store.connect() as connection:
        mobiles = connection.execute(select(licences.c.mobile).where(licences.c.mobile.is_not(None))).scalars().all()
    assert len(mobiles) > 500
    assert all(re.fullmatch(r"\+\d{8,15}", m) for m in mobiles), "every number is stored in E.164"
    # One holder gave a Danish number: it is kept as such, not forced into a US one.
    assert [m for m in mobiles if not re.fullmatch(r"\+1\d{10}", m)] == ["+4550901201"]


def test_the_scan_runs_over_the_real_exports_and_is_idempotent(
    store: Engine, licence_types: dict[str, LicenceType], real_data: Path
) -> None:
    for mapping, file, *_ in EXPORTS:
        load_export(store, load_mapping(mapping), licence_types, NOW, real_data / file)
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    # NYC licences of this export expire on 2021-12-31; South Bend's 2021 licences too.
    first = run_scan(store, licence_types, calendar, date(2021, 11, 15), NOW)
    second = run_scan(store, licence_types, calendar, date(2021, 11, 15), NOW)

    assert first.licences == 184 + 704 + 3339
    assert first.created == first.due > 0
    assert (second.created, second.refreshed, second.withdrawn, second.unchanged) == (0, 0, 0, first.due)


def test_a_quarantined_duplicate_names_its_own_line_and_keeps_its_own_values(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], real_data: Path
) -> None:
    path = real_data / "south_bend_business_licenses.csv"
    load(sqlite_store, licence_types, "south_bend_business_licenses", path)

    with sqlite_store.connect() as connection:
        stored = connection.execute(
            select(quarantine.c.line, quarantine.c.detail, quarantine.c.raw).where(
                quarantine.c.reason.in_(["duplicate row", "conflicting duplicate"])
            )
        ).all()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sorted((r.line, r.detail) for r in stored) == [(157, "line 1624 kept"), (885, "same as line 53")]
    for entry in stored:
        assert all(value in lines[entry.line - 1] for value in entry.raw.values() if value), entry.line
