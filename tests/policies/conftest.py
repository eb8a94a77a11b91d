"""Policy tests' shared pieces: the shipped policy folder, a generated county's subjects, and writing policy files."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from domain.licence_types import load_licence_types
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from ground.settings import PolicySettings
from sandbox.registry import generate_county

SHIPPED = PolicySettings().folder
AS_OF = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def county_subjects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """subjects.csv of a generated county of 6,000 licences (about 4,900 subjects)."""
    folder = tmp_path_factory.mktemp("county")
    generate_county(folder, 6000, seed=5, as_of=AS_OF)
    return folder / "subjects.csv"


def load_subjects(engine: Engine, path: Path) -> None:
    load_export(engine, load_mapping("county_subjects"), load_licence_types(), NOW, path)
