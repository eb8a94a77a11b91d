"""One condition over the whole population at once: a boolean mask. A missing value never passes (except the
test for presence itself): a payment cannot rest on a fact the registry does not hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from domain.policies.attributes import Kind
from domain.policies.model import Condition, Op
from domain.policies.periods import Span, years_before
from domain.policies.population import Population, Texts

Mask = NDArray[np.bool_]
COMPARISONS: dict[Op, Callable[[Any, Any], Any]] = {
    Op.EQ: np.equal,
    Op.NE: np.not_equal,
    Op.GT: np.greater,
    Op.GE: np.greater_equal,
    Op.LT: np.less,
    Op.LE: np.less_equal,
}


def condition_mask(condition: Condition, population: Population, required: Any, span: Span, as_of: date) -> Mask:
    """Which subjects pass `condition`, given the value it requires on the matching date."""
    column = population.columns[condition.attribute]
    kind = condition.definition.kind
    if kind is Kind.TEXT:
        return _texts(condition.op, column, required)
    if kind is Kind.DATE:
        return _dates(condition.op, column, required, span, as_of)
    if kind is Kind.BOOL:
        return column >= 0 if condition.op is Op.PRESENT else column == int(required)  # type: ignore[no-any-return]
    return _numbers(condition.op, column, required)


def _numbers(op: Op, values: NDArray[np.float64], required: Any) -> Mask:
    known = ~np.isnan(values)
    if op is Op.PRESENT:
        return known
    if op in (Op.IN, Op.NOT_IN):
        inside = np.isin(values, np.asarray(required, dtype=np.float64))
        return inside if op is Op.IN else known & ~inside
    return known & COMPARISONS[op](values, float(required))  # type: ignore[no-any-return]


def _texts(op: Op, column: Texts, required: Any) -> Mask:
    categories = column.categories
    if op is Op.PRESENT:
        return column.codes >= 0
    if op is Op.STARTS_WITH:
        prefixes = tuple([required] if isinstance(required, str) else required)
        return column.spread(np.array([str(value).startswith(prefixes) for value in categories], dtype=bool))
    if op in (Op.IN, Op.NOT_IN):
        inside = np.isin(categories, np.asarray(list(required), dtype=object))
        return column.spread(inside if op is Op.IN else ~inside)
    return column.spread(np.asarray(COMPARISONS[op](categories, required), dtype=bool))


def _dates(op: Op, values: NDArray[np.datetime64], required: Any, span: Span, as_of: date) -> Mask:
    """Date tests; NaT compares false with everything, so a missing date fails each of them."""
    day = np.datetime64(as_of, "D")
    if op is Op.PRESENT:
        return ~np.isnat(values)
    if op is Op.IN_PERIOD:
        return (values >= np.datetime64(span.starts, "D")) & (values <= np.datetime64(min(span.ends, as_of), "D"))
    if op is Op.WITHIN_YEARS:
        return (values >= np.datetime64(years_before(as_of, int(required)), "D")) & (values <= day)
    if op is Op.AT_LEAST_YEARS_AGO:
        return values <= np.datetime64(years_before(as_of, int(required)), "D")
    if op is Op.ON_OR_AFTER:
        return values >= np.datetime64(required, "D")
    return values < np.datetime64(required, "D")
