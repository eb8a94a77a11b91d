"""What each history event is to the classifier: rules over its canonical kind and the source's own words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from models.config import HistoryWords

CHANGE_KINDS = ("address", "legal_rep", "scope")


@dataclass(frozen=True)
class Rule:
    category: str
    kind: str
    column: str | None = None  # outcome | severity | detail; None: every event of the kind
    words: tuple[str, ...] = ()
    prefix: bool = False  # the words start the column's text (change details) rather than equal it


def rules(words: HistoryWords) -> list[Rule]:
    """The first rule an event matches names its category; an event matching none is not used."""
    changes = words.registration_change
    return [
        Rule("inspection_failed", "inspection", "outcome", tuple(words.inspection.failed)),
        Rule("inspection_partly", "inspection", "outcome", tuple(words.inspection.partly)),
        Rule("inspection_passed", "inspection"),
        Rule("penalty_serious", "penalty", "severity", tuple(words.penalty.serious)),
        Rule("penalty_heavy", "penalty", "severity", tuple(words.penalty.heavy)),
        Rule("penalty", "penalty"),
        Rule("complaint_upheld", "complaint", "outcome", tuple(words.complaint.upheld)),
        Rule("complaint", "complaint"),
        *(
            Rule(f"change_{name}", "registration_change", "detail", tuple(getattr(changes, name)), prefix=True)
            for name in CHANGE_KINDS
        ),
        Rule("abnormal_listed", "abnormal_listed"),
        Rule("abnormal_removed", "abnormal_removed"),
        Rule("renewal_approved", "renewal", "outcome", tuple(words.renewal.approved)),
        Rule("renewal_corrected", "renewal", "outcome", tuple(words.renewal.corrected)),
        Rule("renewal_refused", "renewal", "outcome", tuple(words.renewal.refused)),
    ]


# The categories in rule order (a test checks it against `rules`).
CATEGORIES = [
    "inspection_failed",
    "inspection_partly",
    "inspection_passed",
    "penalty_serious",
    "penalty_heavy",
    "penalty",
    "complaint_upheld",
    "complaint",
    *(f"change_{name}" for name in CHANGE_KINDS),
    "abnormal_listed",
    "abnormal_removed",
    "renewal_approved",
    "renewal_corrected",
    "renewal_refused",
]


def categorise(events: pd.DataFrame, words: HistoryWords) -> pd.Series:
    """Each event's category (missing where no rule matches), over a frame of raw events."""
    every = rules(words)
    # Each text column is encoded once as codes into its distinct values: a rule tests the few distinct values and
    # looks its answer up by code, rather than comparing millions of texts once per rule.
    columns = {"kind", *(rule.column for rule in every if rule.column is not None)}
    encoded = {name: _encoded(events[name]) for name in columns}
    conditions = [_matches(encoded, rule) for rule in every]
    positions = np.select(conditions, list(range(len(conditions))), default=-1).astype("int8")
    return pd.Series(pd.Categorical.from_codes(positions, dtype=pd.CategoricalDtype(CATEGORIES)), index=events.index)


def _encoded(column: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """A text column as codes into its distinct values, with "" (the last value) standing for a missing one."""
    array = pa.array(column.astype("str"), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):  # text columns read through Arrow come in chunks
        array = array.combine_chunks()
    dictionary = pc.dictionary_encode(array)
    values = pd.Series([*dictionary.dictionary.to_pylist(), ""], dtype=object)
    codes = dictionary.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
    return codes, values


def _matches(encoded: dict[str, tuple[np.ndarray, pd.Series]], rule: Rule) -> np.ndarray:
    kind_codes, kinds = encoded["kind"]
    same_kind: np.ndarray = (kinds == rule.kind).to_numpy(dtype=bool)[kind_codes]
    if rule.column is None:
        return same_kind
    codes, texts = encoded[rule.column]
    hit = texts.str.startswith(rule.words) if rule.prefix else texts.isin(rule.words)
    both: np.ndarray = same_kind & np.asarray(hit, dtype=bool)[codes]
    return both


def is_open_penalty(events: pd.DataFrame, words: HistoryWords) -> np.ndarray:
    return ((events["kind"] == "penalty") & events["outcome"].isin(words.penalty.open)).fillna(False).to_numpy(bool)
