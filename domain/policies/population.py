"""The subjects as arrays, one per attribute, built once per matching run so every policy reads the same arrays.

Numbers are float64 with NaN for missing; yes/no flags int8 (1, 0, -1 missing); dates datetime64[D] with NaT;
texts are categorical (codes into a small table of distinct values), so a text test runs over the distinct values
and is spread to the subjects by their codes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from domain.policies.attributes import ATTRIBUTES, Kind

KEY = "subject_key"


@dataclass(frozen=True)
class Texts:
    codes: NDArray[np.int32]  # -1: missing
    categories: NDArray[np.object_]

    def spread(self, per_category: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """A test over the distinct values, as a mask over subjects (missing values fail)."""
        with_missing = np.append(per_category.astype(bool), False)  # code -1 picks the appended False
        spread: NDArray[np.bool_] = with_missing[self.codes]
        return spread


@dataclass(frozen=True)
class Population:
    keys: NDArray[np.object_]
    columns: dict[str, Any]  # attribute name → its array (or Texts), as described above

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Population:
        """From a frame with `subject_key` and any attribute columns; an absent attribute is missing for all."""
        n = len(frame)
        columns = {
            name: _convert(frame[name] if name in frame else pd.Series([None] * n, dtype=object), a.kind)
            for name, a in ATTRIBUTES.items()
        }
        return cls(frame[KEY].to_numpy(dtype=object), columns)

    @classmethod
    def from_records(cls, records: Sequence[dict[str, Any]]) -> Population:
        return cls.from_frame(pd.DataFrame.from_records(list(records), columns=[KEY, *ATTRIBUTES]))

    def take(self, rows: NDArray[np.int64]) -> Population:
        columns = {
            name: Texts(column.codes[rows], column.categories) if isinstance(column, Texts) else column[rows]
            for name, column in self.columns.items()
        }
        return Population(self.keys[rows], columns)

    def python_values(self, name: str) -> list[Any]:
        """An attribute's values as plain Python (None for missing, dates as `date`), for traces."""
        column = self.columns[name]
        if isinstance(column, Texts):
            return [None if code < 0 else column.categories[code] for code in column.codes.tolist()]
        kind = ATTRIBUTES[name].kind
        if kind is Kind.NUMBER:
            return [None if math.isnan(v) else (int(v) if v.is_integer() else v) for v in column.tolist()]
        if kind is Kind.BOOL:
            return [None if v < 0 else bool(v) for v in column.tolist()]
        return [None if np.isnat(v) else v.astype(date) for v in column]


def _convert(values: pd.Series, kind: Kind) -> Any:
    if kind is Kind.NUMBER:
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if kind is Kind.BOOL:
        known = values.notna()
        flags = np.full(len(values), -1, dtype=np.int8)
        flags[known.to_numpy()] = values[known].astype(bool).to_numpy(dtype=np.int8)
        return flags
    if kind is Kind.DATE:
        return pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    categorical = pd.Categorical(values.astype(object).where(values.notna(), None))
    return Texts(categorical.codes.astype(np.int32), np.asarray(categorical.categories, dtype=object))
