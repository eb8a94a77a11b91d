"""Where the store lives: a mistyped folder or a read-only database stops a command with one line, not an empty
store or a traceback; the default folder under the working directory is still created."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import make_url
from typer.testing import CliRunner

from agent.cli import app
from ground.store import open_store
from ground.store.db import read_only_fault
from tests.registries.test_load import row, write


def run(*args: str, url: str | None = None) -> tuple[int, list[str]]:
    env = {"PROACTIVE_DATABASE_URL": url} if url else {}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output.strip().splitlines()


def test_a_configured_database_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "nonexistent" / "dir"

    code, lines = run("scan", url=f"sqlite:///{folder / 'proactive.db'}")

    assert (code, len(lines)) == (1, 1), lines
    assert "PROACTIVE_DATABASE_URL" in lines[0] and str(folder) in lines[0]
    assert not (tmp_path / "nonexistent").exists(), "no empty store where the operator meant another"


def test_the_default_database_folder_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROACTIVE_DATABASE_URL", raising=False)

    code, _ = run("scan")

    assert code == 0
    assert (tmp_path / "var" / "proactive.db").is_file()


def test_a_read_only_database_is_named_in_one_line(tmp_path: Path) -> None:
    database = tmp_path / "store.db"
    open_store(f"sqlite:///{database}").dispose()
    export = write(tmp_path / "licences.csv", [row()])

    code, lines = run(
        "registry", "load", str(export), "-m", "county_licences", url=f"sqlite:///file:{database}?mode=ro&uri=true"
    )

    assert (code, len(lines)) == (1, 1), lines
    assert str(database) in lines[0] and "read-only" in lines[0]


class ReadOnlyTransaction(Exception):
    sqlstate = "25006"  # what psycopg reports on a standby or a read-only role


def test_a_read_only_postgresql_database_is_named_without_its_password() -> None:
    url = make_url("postgresql+psycopg://agent:s3cret@db/proactive")

    fault = read_only_fault(ReadOnlyTransaction("cannot execute INSERT in a read-only transaction"), url)

    assert fault is not None
    assert "agent:***@db/proactive is read-only" in str(fault) and "s3cret" not in str(fault)
