"""The CLI as a script uses it: `cases list` of every kind by default, as JSON or CSV; every option explained in
`--help`; and `proactive … --help` answers without loading the machine-learning, data-frame or browser libraries."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, update
from typer.testing import CliRunner

from agent.cli import BY_NAME, COMMANDS, app, console, fail, runtime
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


def every_command() -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, command) of every command and group of the CLI, each command module loaded."""

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        yield path, command
        group: Any = command if isinstance(command, typer.core.TyperGroup) else None  # Any: takes no context here
        for name in group.list_commands(None) if group else []:
            yield from walk(group.get_command(None, name), (*path, name))

    yield from walk(typer.main.get_command(app), ())


def test_every_option_of_every_command_says_what_it_does() -> None:
    unexplained = [
        f"proactive {' '.join(path)} --{param.name}"
        for path, command in every_command()
        for param in command.params
        if param.param_type_name == "option" and not getattr(param, "help", None) and param.name != "help"
    ]

    assert unexplained == []


HEAVY = ("pandas", "sklearn", "scipy", "skops", "playwright", "matplotlib")
# Each `--help` in turn, in one process: what it printed, its exit code, the heavy libraries loaded so far.
HELP_PROBE = f"""
import contextlib, io, json, sys
from agent.cli import app
answers = []
for path in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            app([*path, "--help"], prog_name="proactive")
        except SystemExit as exc:
            code = exc.code
    answers.append([path, code, out.getvalue(), sorted(m for m in {HEAVY!r} if m in sys.modules)])
print(json.dumps(answers))
"""


def test_every_commands_help_loads_no_machine_learning_data_frame_or_browser_library() -> None:
    paths = [list(path) for path, _ in every_command()]
    done = subprocess.run(
        [sys.executable, "-c", HELP_PROBE, json.dumps(paths)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    answers = json.loads(done.stdout)

    assert len(answers) == len(paths) > 40  # every group and command
    for path, code, output, heavy in answers:
        assert code == 0 and f"Usage: proactive {' '.join(path)}".strip() in output, (path, output)
        assert heavy == [], f"`proactive {' '.join(path)} --help` loaded {heavy}"


def test_the_help_lists_every_command_of_the_table_with_its_line() -> None:
    output = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output

    for entry in COMMANDS:
        assert f"{entry.name}  " in output and entry.help in output, entry


def test_the_table_names_each_command_its_module_registers_with_the_commands_own_line() -> None:
    for module in {entry.module for entry in COMMANDS}:
        own = typer.Typer()
        own.callback()(lambda: None)
        importlib.import_module(module).register(own, runtime, console, fail)
        registered = typer.main.get_command(own)
        assert isinstance(registered, typer.core.TyperGroup)
        for name, command in registered.commands.items():
            assert name in BY_NAME and BY_NAME[name].module == module, f"{module} registers {name}: add it to COMMANDS"
            assert command.get_short_help_str(limit=100) == BY_NAME[name].help, name


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
