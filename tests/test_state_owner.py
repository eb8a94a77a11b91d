"""One owner of a case's state: no module outside `ground/cases/` writes a case's state or the ledger.

A check of the source, not of a run: it reads every production module's syntax tree for the writes a reviewer
would look for — an insert into (or delete from) the cases table or the ledger, an update of the ledger, an update
of the cases table that sets `state` or sets columns the check cannot see (a dict built elsewhere, `**values`, or
the parameters it is executed with), a bulk `insert_frame` or pandas `to_sql` into either table, and raw SQL doing
any of these. Whatever it cannot tell apart from a state write counts as one: the lifecycle is the way round.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ground", "domain", "agent", "bots", "notifications", "models", "sandbox")
OWNER = ROOT / "ground" / "cases"
MIGRATIONS = ROOT / "ground" / "store" / "migrations"  # history: they shape the tables, never move a case
CASES, LEDGER = "cases", "case_transitions"
VERBS = {"insert", "update", "delete", "upsert", "insert_new"}  # SQLAlchemy's, and ground.store.writes' own
BULK = {"insert_frame", "to_sql"}
RAW_SQL = [
    re.compile(r"\b(insert\s+(or\s+\w+\s+)?into|delete\s+from)\s+[\"`]?(cases|case_transitions)\b", re.I),
    re.compile(r"\bupdate\s+[\"`]?case_transitions\b", re.I),
    re.compile(r"\bupdate\s+[\"`]?cases\b.*\bset\b.*\bstate\b", re.I | re.S),
]


def writes(source: str) -> list[str]:
    """Each write of a case's state or of the ledger in `source`, as 'line N: what'."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found += [f"line {node.lineno}: {what}" for what in _table_write(node, parents)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _raw_write(node.value):
            found.append(f"line {node.lineno}: raw SQL writing {CASES} or {LEDGER}")
    return found


def _raw_write(text: str) -> bool:
    return any(pattern.search(text) for pattern in RAW_SQL)


def _table_write(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> Iterator[str]:
    name = _called(call)
    if name in BULK and any(_table(arg) for arg in call.args[:2]):
        yield f"{name} into {next(t for t in map(_table, call.args[:2]) if t)}"
        return
    if name not in VERBS:
        return
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    table = _table(receiver) if receiver is not None else next((t for t in map(_table, call.args) if t), None)
    if table == LEDGER or (table == CASES and name != "update"):
        yield f"{name} on {table}"
    elif table == CASES:
        yield from _state_set(call, parents)


def _state_set(update: ast.Call, parents: dict[ast.AST, ast.AST]) -> Iterator[str]:
    """What an update of the cases table says of `state`, read from the `.values(...)` of its method chain."""
    values = [call for call in _chain(update, parents) if _called(call) == "values"]
    if not values:
        yield "update of cases setting whatever its parameters hold"
    for call in values:
        keys = [k.arg for k in call.keywords] + [key for arg in call.args for key in _dict_keys(arg)]
        if "state" in keys:
            yield "update of cases setting state"
        elif None in keys:
            yield "update of cases setting columns it does not name"


def _chain(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> Iterator[ast.Call]:
    """The calls chained on `call`: `update(t).where(...).values(...)` gives where, then values."""
    node: ast.AST = call
    while isinstance(attribute := parents.get(node), ast.Attribute) and isinstance(
        outer := parents.get(attribute), ast.Call
    ):
        yield outer
        node = outer


def _dict_keys(node: ast.expr) -> list[str | None]:
    """The keys of a dict literal (None for one not written out); [None] for anything else."""
    if not isinstance(node, ast.Dict):
        return [None]
    return [k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None for k in node.keys]


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _table(node: ast.expr) -> str | None:
    """The table a node names (`cases`, `tables.cases`, or "cases" as pandas takes it), if it is one of ours."""
    if isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value
    else:
        return None
    return name if name in (CASES, LEDGER) else None


def production_modules() -> list[Path]:
    paths = [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]
    return [path for path in paths if not path.is_relative_to(OWNER) and not path.is_relative_to(MIGRATIONS)]


def test_only_the_lifecycle_writes_a_case_state_or_the_ledger() -> None:
    found = [
        f"{path.relative_to(ROOT)} {where}"
        for path in production_modules()
        for where in writes(path.read_text(encoding="utf-8"))
    ]

    assert len(production_modules()) > 100
    assert found == [], "move cases through ground.cases.moves, record registry changes through ground.cases.ledger"


@pytest.mark.parametrize(
    "source",
    [
        'update(cases).where(cases.c.id == 1).values(state="done")',  # the plain way round the lifecycle
        'cases.update().values({"state": State.DONE.value})',  # the method form, with a dict
        "update(tables.cases).values(**changes)",  # cannot tell what **changes sets
        "update(cases).values(settings)",  # nor a dict built elsewhere
        'connection.execute(update(cases).where(cases.c.id == bindparam("b_id")), rows)',  # sets what rows hold
        "insert(cases).values(natural_key=key, kind=kind, state=state)",  # opening a case sets its state
        "case_transitions.insert().values(case_id=1, reason='moved')",  # a ledger entry with no move
        "insert_frame(connection, case_transitions, frame, {'actor': 'x'})",  # the same, in bulk
        "insert_frame(connection, cases, frame, {'state': 'new'})",  # opening cases in bulk
        "connection.execute(text(\"UPDATE cases SET state = 'done' WHERE id = 1\"))",  # raw SQL
        'connection.exec_driver_sql("INSERT INTO case_transitions (reason) VALUES (?)", row)',  # raw SQL, ledger
        'frame.to_sql("case_transitions", connection, if_exists="append")',  # pandas
    ],
)
def test_the_check_finds_a_write(source: str) -> None:
    assert writes(textwrap.dedent(source)), source


@pytest.mark.parametrize(
    "source",
    [
        'update(cases).where(cases.c.id == 1).values(platform_ref="X")',  # another column of a case
        "select(cases.c.state).where(cases.c.state == State.ROUTED.value)",  # reading
        'by_key[key].update(state="paid", payment_ref=voucher)',  # a dict in memory, not the table
        'update(licences).values(status="valid")',  # another table
        '"""Insert new cases for the licences due."""',  # words, not SQL
    ],
)
def test_the_check_leaves_other_code_alone(source: str) -> None:
    assert writes(textwrap.dedent(source)) == [], source


def test_the_check_sees_the_lifecycle_own_writes() -> None:
    owner = [where for path in sorted(OWNER.glob("*.py")) for where in writes(path.read_text(encoding="utf-8"))]

    assert len(owner) >= 4, "the moves and the ledger write both tables: a check blind to them proves nothing"
