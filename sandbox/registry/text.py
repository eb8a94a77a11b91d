"""Vectorised string building on Arrow arrays: pick from a vocabulary, join parts, format digits and dates.

Arrow strings are compact and its kernels run in C, which keeps a million-row county to seconds. Note: pyarrow's
`binary_join_element_wise(..., null_handling="skip")` drops rows whose parts are all null (seen in pyarrow 26),
so nothing here passes nulls to it; optional parts are empty strings instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

Strings = Any  # a pyarrow StringArray (pyarrow ships no type information)


def pick(vocab: Sequence[str], index: NDArray[np.integer]) -> Strings:
    """vocab[index] for every element of `index`, as an Arrow string array."""
    return pa.array(list(vocab), type=pa.string()).take(pa.array(np.asarray(index, dtype=np.int64)))


def choose(rng: np.random.Generator, vocab: Sequence[str], n: int, p: Sequence[float] | None = None) -> Strings:
    """n draws from `vocab` (uniform unless `p` is given)."""
    return pick(vocab, rng.choice(len(vocab), size=n, p=_normalised(p)))


def join(*parts: Strings | str) -> Strings:
    """Element-wise concatenation of Arrow string arrays and plain strings (broadcast)."""
    return pc.binary_join_element_wise(*parts, "")


def where(mask: NDArray[np.bool_], if_true: Strings | str, if_false: Strings | str) -> Strings:
    return pc.if_else(pa.array(mask), if_true, if_false)


def maybe(mask: NDArray[np.bool_], value: Strings | str) -> Strings:
    """`value` where `mask`, the empty string elsewhere."""
    return where(mask, value, "")


def ascii_rows(matrix: NDArray[np.uint8]) -> Strings:
    """Each row of an (n, w) matrix of ASCII bytes as one string."""
    rows = np.ascontiguousarray(matrix, dtype=np.uint8)
    width = rows.shape[1]
    return pa.array(rows.view(f"S{width}").ravel()).cast(pa.string())


def digit_matrix(values: NDArray[np.integer], width: int) -> NDArray[np.uint8]:
    """(n, width) ASCII digits of non-negative integers, zero-padded; raises if a value does not fit."""
    v = np.asarray(values, dtype=np.int64)
    if v.size and (v.min() < 0 or v.max() >= 10**width):
        raise ValueError(f"values do not fit in {width} digits")
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (v[:, None] // powers % 10 + ord("0")).astype(np.uint8)


def digits(values: NDArray[np.integer], width: int) -> Strings:
    """Zero-padded decimal strings of fixed width."""
    return ascii_rows(digit_matrix(values, width))


def integers(values: NDArray[np.integer]) -> Strings:
    """Plain decimal strings."""
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def cents_as_decimal(cents: NDArray[np.integer]) -> Strings:
    """Amounts in hundredths as '1234.05'."""
    c = np.asarray(cents, dtype=np.int64)
    return join(integers(c // 100), ".", digits(c % 100, 2))


def iso_dates(days: NDArray[np.integer]) -> Strings:
    """Days since 1970-01-01 as 'YYYY-MM-DD'."""
    return pc.cast(pa.array(np.asarray(days, dtype=np.int64).astype("datetime64[D]")), pa.string())


def _normalised(p: Sequence[float] | None) -> NDArray[np.float64] | None:
    if p is None:
        return None
    arr: NDArray[np.float64] = np.asarray(p, dtype=np.float64)
    normalised: NDArray[np.float64] = arr / arr.sum()
    return normalised
