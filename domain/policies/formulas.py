"""Amount formulas: arithmetic over numeric attributes and parameters, parsed once and evaluated vectorised.

Only numbers, names, + - * /, parentheses and min()/max() are accepted: a policy file is data an operator edits,
never code that runs.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
}
FUNCTIONS: dict[str, Callable[[Any, Any], Any]] = {"min": np.minimum, "max": np.maximum}


class FormulaError(ValueError):
    """A formula that is not plain arithmetic over known names."""


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """The formula over `values` (numpy arrays or plain numbers, broadcast together)."""
        return _evaluate(self.tree, values)


def parse_formula(text: str) -> Formula:
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"formula {text!r} is not an arithmetic expression: {exc.msg}") from exc
    names = _check(tree)
    return Formula(text, tree, frozenset(names))


def _check(node: ast.expr) -> set[str]:
    """The names a formula uses; raises on anything but arithmetic."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return set()
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return _check(node.left) | _check(node.right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _check(node.operand)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and len(node.args) == 2
        and not node.keywords
    ):
        return _check(node.args[0]) | _check(node.args[1])
    raise FormulaError(f"only numbers, names, + - * /, parentheses and min(a, b)/max(a, b): not {ast.unparse(node)!r}")


def _evaluate(node: ast.expr, values: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        return OPERATORS[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp):
        return np.negative(_evaluate(node.operand, values))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return FUNCTIONS[node.func.id](_evaluate(node.args[0], values), _evaluate(node.args[1], values))
    raise FormulaError(f"cannot evaluate {ast.unparse(node)!r}")  # _check refused it at load already
