"""Rules of the code that no linter here checks, kept honest by walking the source.

**Imports at module level.** A module's imports are its dependencies, read at the top; an import hidden in a function
hides a dependency (or an import cycle) and moves its cost to an unexpected moment. So production code (every
package but tests and benchmarks) imports our own packages only at module level. The one exception is an optional
dependency, and it says so on the import's first line with a comment starting `# optional:` and the reason:

    def copy_rows(...):
        from psycopg import sql  # optional: the PostgreSQL driver; a SQLite store never loads it

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
SEAM_TYPES = frozenset({"Engine", "Connection"})


def function_level_imports(source: str) -> Iterator[tuple[int, str]]:
    """(line, statement) of every import of our own packages inside a function without an `# optional:` comment."""
    lines = source.splitlines()
    functions = [f for f in ast.walk(ast.parse(source)) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]
    imports = {
        id(node): node
        for function in functions
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom) and _imports_ours(node)
    }
    for node in sorted(imports.values(), key=lambda node: node.lineno):  # a nested function's, once
        if OPTIONAL not in lines[node.lineno - 1]:
            yield node.lineno, ast.unparse(node)


def _imports_ours(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in OURS for alias in node.names)
    return node.level > 0 or (node.module or "").split(".")[0] in OURS


def production_files() -> Iterator[Path]:
    for package in sorted(OURS):
        yield from sorted((REPO / package).rglob("*.py"))


def test_production_code_imports_our_packages_at_module_level() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line}: {statement}"
        for path in production_files()
        for line, statement in function_level_imports(path.read_text(encoding="utf-8"))
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
    ],
)
def test_the_rule_flags_an_unmarked_function_level_import(snippet: str, flagged: list[int]) -> None:
    assert [line for line, _ in function_level_imports(snippet)] == flagged


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
