"""Rules of the code that no linter here checks, kept honest by walking the source.

**Imports at module level.** A module's imports are its dependencies, read at the top; an import hidden in a function
hides a dependency (or an import cycle) and moves its cost to an unexpected moment. So production code (every
package but tests and benchmarks) imports our own packages only at module level. The one exception is an optional
dependency, and it says so on the import's first line with a comment starting `# optional:` and the reason:

    def copy_rows(...):
        from psycopg import sql  # optional: the PostgreSQL driver; a SQLite store never loads it

The other exception is the command line's modules (agent/cli.py, agent/cli_*.py): `proactive COMMAND --help` loads
only the command's module, and answers in a moment if that module imports at its top only what defines the options.
What a command runs (our packages, and the pandas, scikit-learn or Playwright under them) is imported where it runs,
each such import marked `# lazy`; the mark anywhere else is an unmarked import. (tests/test_cli_scripts.py checks
that no command's `--help` loads those libraries.)

**The roof builds no SQL.** `agent/` reads and writes the store through the functions of the package that owns the
data; from SQLAlchemy it imports only the types of the seams (an engine, a connection). That it does not import the
tables is an import-linter contract (pyproject.toml).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

OURS = frozenset({"ground", "domain", "agent", "bots", "notifications", "models", "sandbox"})
OPTIONAL = "# optional:"
LAZY = "# lazy"
SEAM_TYPES = frozenset({"Engine", "Connection"})


def function_level_imports(source: str, command_line: bool = False) -> Iterator[tuple[int, str]]:
    """(line, statement) of every import of our own packages inside a function without an `# optional:` comment
    (nor, in a module of the command line, a `# lazy` one)."""
    lines = source.splitlines()
    functions = [f for f in ast.walk(ast.parse(source)) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]
    imports = {
        id(node): node
        for function in functions
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom) and _imports_ours(node)
    }
    for node in sorted(imports.values(), key=lambda node: node.lineno):  # a nested function's, once
        marks = (OPTIONAL, LAZY) if command_line else (OPTIONAL,)
        if not any(mark in lines[node.lineno - 1] for mark in marks):
            yield node.lineno, ast.unparse(node)


def _imports_ours(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in OURS for alias in node.names)
    return node.level > 0 or (node.module or "").split(".")[0] in OURS


def is_command_line(path: Path) -> bool:
    return path.parent == REPO / "agent" and (path.name == "cli.py" or path.name.startswith("cli_"))


def production_files() -> Iterator[Path]:
    for package in sorted(OURS):
        yield from sorted((REPO / package).rglob("*.py"))


def test_production_code_imports_our_packages_at_module_level() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line}: {statement}"
        for path in production_files()
        for line, statement in function_level_imports(path.read_text(encoding="utf-8"), is_command_line(path))
    ]
    assert not found, (
        "imports inside functions (move them to the module's top, or mark an optional one):\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    ("snippet", "flagged"),
    [
        ("def f():\n    from ground.store import open_store\n", [2]),  # ours, inside a function
        ("def f():\n    import agent.jobs\n", [2]),
        ("class C:\n    def m(self):\n        from .reads import x\n", [3]),  # relative: ours, in a method
        ("async def f():\n    def g():\n        from models import scoring\n", [3]),  # nested functions too
        ("def f():\n    from ground import store  # optional: only on PostgreSQL\n", []),  # marked optional
        ("def f():\n    from ground import store  # needed here\n", [2]),  # a comment is not the mark
        ("def f():\n    import matplotlib\n", []),  # third party: not this rule's business
        ("from ground.store import open_store\n\ndef f():\n    return open_store\n", []),  # module level
        ("def f():\n    from agent.jobs import bot_round  # lazy\n", [2]),  # lazy: only in the command line
    ],
)
def test_the_rule_flags_an_unmarked_function_level_import(snippet: str, flagged: list[int]) -> None:
    assert [line for line, _ in function_level_imports(snippet)] == flagged


@pytest.mark.parametrize(
    ("snippet", "flagged"),
    [
        ("def f():\n    from agent.jobs import bot_round  # lazy\n", []),  # what a command runs, where it runs
        ("def f():\n    from agent.jobs import bot_round\n", [2]),  # still marked
    ],
)
def test_the_command_line_may_import_what_a_command_runs_in_its_body(snippet: str, flagged: list[int]) -> None:
    assert [line for line, _ in function_level_imports(snippet, command_line=True)] == flagged


def test_the_command_line_is_agent_cli_and_its_command_modules() -> None:
    assert is_command_line(REPO / "agent" / "cli.py") and is_command_line(REPO / "agent" / "cli_kpi.py")
    assert not is_command_line(REPO / "agent" / "jobs.py") and not is_command_line(
        REPO / "agent" / "console" / "cli_x.py"
    )


def sql_builders(source: str) -> list[str]:
    """What a module imports from SQLAlchemy beyond the seams' types."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found += [alias.name for alias in node.names if alias.name not in SEAM_TYPES]
    return found


def test_the_roof_imports_no_sql_builders() -> None:
    found = {
        str(path.relative_to(REPO)): names
        for path in sorted((REPO / "agent").rglob("*.py"))
        if (names := sql_builders(path.read_text(encoding="utf-8")))
    }
    assert not found, f"agent/ builds SQL; call a query function of the package that owns the data instead: {found}"


@pytest.mark.parametrize(
    ("snippet", "found"),
    [
        ("from sqlalchemy import Engine, select\n", ["select"]),
        ("from sqlalchemy.sql import update\n", ["update"]),
        ("import sqlalchemy as sa\n", ["sqlalchemy"]),
        ("from sqlalchemy import Connection, Engine\n", []),  # the seams' types
    ],
)
def test_the_sql_rule_flags_a_builder(snippet: str, found: list[str]) -> None:
    assert sql_builders(snippet) == found
