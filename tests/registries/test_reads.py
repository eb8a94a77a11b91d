"""What the operator reads about the loaded registries, on a small generated county."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from domain.licence_types import LicenceType
from domain.registries.load import LoadReport, load_export
from domain.registries.mapping import load_mapping
from domain.registries.reads import licence_counts, quarantine_counts, subject_names, valid_expiries
from ground.store.tables import subjects
from sandbox.registry import generate_county

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def loaded(store: Engine, folder: Path, licence_types: dict[str, LicenceType]) -> list[LoadReport]:
    generate_county(folder, 200, seed=4, as_of=date(2026, 11, 25))
    return [
        load_export(store, load_mapping(mapping), licence_types, NOW, folder / file)
        for mapping, file in (("county_subjects", "subjects.csv"), ("county_licences", "licences.csv"))
    ]


def test_the_counts_agree_with_the_exports(
    store: Engine, tmp_path: Path, licence_types: dict[str, LicenceType]
) -> None:
    reports = loaded(store, tmp_path, licence_types)
    with store.connect() as connection:
        licences, quarantined = licence_counts(connection), quarantine_counts(connection)
        expiries = valid_expiries(connection)
    assert [(c.licence_type, c.status) for c in licences] == sorted((c.licence_type, c.status) for c in licences)
    valid = sum(c.licences for c in licences if c.status == "valid")
    assert len(expiries) == valid > 0 and all(isinstance(day, date) for day in expiries)
    assert quarantined and [(c.source, -c.rows) for c in quarantined] == sorted(
        (c.source, -c.rows) for c in quarantined
    )
    assert {(c.source, c.reason): c.rows for c in quarantined} == {
        (report.source, reason): n for report in reports for reason, n in report.reasons.items()
    }


def test_subject_names_by_key(store: Engine, tmp_path: Path, licence_types: dict[str, LicenceType]) -> None:
    loaded(store, tmp_path, licence_types)
    with store.connect() as connection:
        three = dict(connection.execute(select(subjects.c.subject_key, subjects.c.name).limit(3)).tuples().all())
        assert subject_names(connection, [*three, "nobody"]) == three
        assert subject_names(connection, []) == {}
