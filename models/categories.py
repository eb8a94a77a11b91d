"""What each history event is to the classifier: rules over its canonical kind and the source's own words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_

from ground.store.tables import licence_events
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

# The canonical event kind of each category, in the same order.
RULE_KINDS = [
    *["inspection"] * 3,
    *["penalty"] * 3,
    *["complaint"] * 2,
    *["registration_change"] * len(CHANGE_KINDS),
    "abnormal_listed",
    "abnormal_removed",
    *["renewal"] * 3,
]


def category_column(words: HistoryWords) -> ColumnElement[Any]:
    """Each event's category as its place in CATEGORIES (NULL where no rule matches), worked out by the database as
    it reads the events: the classifier then receives one number per event instead of four texts to compare."""
    return case(*((_condition(rule), at) for at, rule in enumerate(rules(words))), else_=None).label("category")


def open_penalty_column(words: HistoryWords) -> ColumnElement[Any]:
    """1 for a penalty whose case is still open, else 0."""
    events = licence_events.c
    return case((and_(events.kind == "penalty", events.outcome.in_(words.penalty.open)), 1), else_=0).label("open")


def _condition(rule: Rule) -> ColumnElement[bool]:
    events = licence_events.c
    same_kind = events.kind == rule.kind
    if rule.column is None:
        return same_kind
    column = events[rule.column]
    if not rule.words:
        return false()
    if rule.prefix:  # the text starts with a word: compared exactly, as LIKE would ignore the case of letters
        return and_(same_kind, or_(*(func.substr(column, 1, len(word)) == word for word in rule.words)))
    return and_(same_kind, column.in_(rule.words))
