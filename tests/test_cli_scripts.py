"""The CLI as a script uses it: `cases list` of every kind by default, as JSON or CSV; every option explained in
`--help`; and `proactive --help` answers without loading the machine-learning, data-frame or browser libraries."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, update
from typer.testing import CliRunner

from agent.cli import app
from agent.entry import COMMANDS, OPTIONS
from ground.store.tables import cases
from tests.notifications.conftest import case_maker


def proactive(store: Engine, tmp_path: Path, *args: str) -> str:
    env = {
        "PROACTIVE_DATABASE_URL": store.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def parked_of_each_kind(store: Engine) -> tuple[int, int]:
    add = case_maker(store)
    renewal, subsidy = add("parked", "seamless"), add("parked", None)
    with store.begin() as connection:
        connection.execute(
            update(cases)
            .where(cases.c.id == subsidy)
            .values(
                kind="subsidy",
                natural_key="subsidy:test:tech_sme_award:2026",
                policy_id="tech_sme_award",
                period="2026",
                amount_yuan=50000,
                licence_no=None,
                licence_type=None,
                expires_on=None,
                window_opens_on=None,
                window_closes_on=None,
            )
        )
    return renewal, subsidy


def test_cases_list_without_a_kind_shows_parked_cases_of_every_kind(
    store: Engine, tmp_path: Path, parked_of_each_kind: tuple[int, int]
) -> None:
    output = proactive(store, tmp_path, "cases", "list", "--state", "parked")

    assert "JY11506240000001" in output  # the parked renewal's licence
    assert "tech_sme_award" in output  # the parked subsidy's policy


def test_cases_list_as_json_gives_every_field_of_each_case(
    store: Engine, tmp_path: Path, parked_of_each_kind: tuple[int, int]
) -> None:
    listed = json.loads(proactive(store, tmp_path, "cases", "list", "--state", "parked", "--json"))

    assert {row["id"]: row["kind"] for row in listed} == dict(
        zip(parked_of_each_kind, ("renewal", "subsidy"), strict=True)
    )
    renewal = next(row for row in listed if row["kind"] == "renewal")
    assert renewal["licence_no"] == "JY11506240000001" and renewal["expires_on"] == "2027-01-29"


def test_cases_list_as_csv_has_a_header_and_one_row_a_case(
    store: Engine, tmp_path: Path, parked_of_each_kind: tuple[int, int]
) -> None:
    output = proactive(store, tmp_path, "cases", "list", "--kind", "subsidy", "--csv")

    [row] = list(csv.DictReader(io.StringIO(output)))
    assert row["policy_id"] == "tech_sme_award" and row["amount_yuan"] == "50000" and row["state"] == "parked"


def test_every_option_of_every_command_says_what_it_does() -> None:
    unexplained = []

    def walk(command: typer.core.TyperCommand | typer.core.TyperGroup, path: str) -> None:
        for param in command.params:
            if param.param_type_name == "option" and not getattr(param, "help", None) and param.name != "help":
                unexplained.append(f"{path} --{param.name}")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "proactive")  # type: ignore[arg-type]

    assert unexplained == []


def test_help_loads_no_machine_learning_data_frame_or_browser_library() -> None:
    probe = (
        "import sys\n"
        "sys.argv = ['proactive', '--help']\n"
        "from agent.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sklearn', 'skops', 'pandas', 'playwright', 'matplotlib') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=os.environ)

    assert "Usage: proactive" in done.stdout and "cases" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_quick_help_lists_the_commands_and_options_the_cli_has() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    listed = ((name, root.get_command(None, name)) for name in root.list_commands(None))  # type: ignore[arg-type]
    commands = tuple((name, command.get_short_help_str(limit=100)) for name, command in listed if command)
    options = {opt for param in root.params for opt in param.opts}

    assert commands == COMMANDS, "agent/entry.py COMMANDS should be:\n" + "\n".join(f"    {c!r}," for c in commands)
    assert {opt for names, _ in OPTIONS for opt in names.split(", ")} == options | {"--help"}


def test_the_outbox_list_as_json_and_csv(store: Engine, tmp_path: Path) -> None:
    listed = json.loads(proactive(store, tmp_path, "notify", "list", "--json"))
    as_csv = proactive(store, tmp_path, "notify", "list", "--csv")

    assert listed == [] and as_csv == ""  # an empty outbox: an empty array, no rows


def test_a_table_piped_to_a_program_keeps_every_cell_whole(sqlite_store: Engine, tmp_path: Path) -> None:
    reason = "平台拒绝：经营场所字段无法填写，登记地址与营业执照不一致，" * 3  # far wider than 80 columns
    case_maker(sqlite_store)("parked", "seamless", parked_reason=reason)
    env = os.environ | {
        "PROACTIVE_DATABASE_URL": sqlite_store.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    command = [str(Path(sys.executable).parent / "proactive"), "cases", "list", "--state", "parked"]

    piped = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout

    assert reason.strip() in piped and "…" not in piped
