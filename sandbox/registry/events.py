"""Licence history (events.csv): inspections, penalties, changes, complaints, the abnormal-operations list,
and earlier renewals whose outcomes follow the hidden process.

Rates are per licence per year of history and scale with the licence's hidden risk; the history covers the
last `HISTORY_YEARS` before the as-of date (or since the line's first issue, when later).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.days import DAYS_PER_YEAR, Days, add_years, previous_weekday
from sandbox.registry.identities import PHONE_VALID
from sandbox.registry.licences import VALIDITY_YEARS, LicenceDraw
from sandbox.registry.renewals import RenewalFeatures, Timeline, draw_outcomes, penalty_weights
from sandbox.registry.subjects import SubjectDraw

EVENT_COLUMNS = ("许可证编号", "统一社会信用代码", "事件类型", "事件日期", "结果", "严重程度", "说明", "不符合项数")
HISTORY_YEARS = 12

# Index 0 of each vocabulary is the empty string.
RESULTS = ("", *vocab.INSPECTION_RESULTS, *vocab.PENALTY_RESULTS, *vocab.COMPLAINT_RESULTS, *vocab.RENEWAL_RESULTS)
SEVERITIES = ("", *vocab.PENALTY_SEVERITIES)
_PENALTY_NOTES = tuple(dict.fromkeys(note for notes in vocab.PENALTY_NOTES_BY_TYPE for note in notes))
NOTES = tuple(
    dict.fromkeys(
        (
            "",
            *vocab.INSPECTION_NOTES,
            *_PENALTY_NOTES,
            *vocab.COMPLAINT_NOTES,
            *vocab.CHANGE_KINDS,
            *vocab.LISTED_NOTES,
            *vocab.DELISTED_NOTES,
        )
    )
)
_INSPECTION_RESULT = RESULTS.index(vocab.INSPECTION_RESULTS[0])
_PENALTY_RESULT = RESULTS.index(vocab.PENALTY_RESULTS[0])
_COMPLAINT_RESULT = RESULTS.index(vocab.COMPLAINT_RESULTS[0])
_RENEWAL_RESULT = RESULTS.index(vocab.RENEWAL_RESULTS[0])
NO_LICENCE = -1  # subject-level events (经营异常名录) carry no licence number
NEVER = np.iinfo(np.int64).max // 2

# Yearly rates by licence kind (food, tobacco, drug), multiplied by exp(slope × risk).
_INSPECTIONS_PER_YEAR = ((0.9, 0.6, 0.85), 0.15)
_PENALTIES_PER_YEAR = ((0.035, 0.03, 0.035), 0.75)
_CHANGES_PER_YEAR = ((0.1, 0.08, 0.1), 0.0)
_COMPLAINTS_PER_YEAR = ((0.13, 0.06, 0.06), 0.4)


@dataclass(frozen=True)
class EventLog:
    licence: NDArray[np.int64]  # NO_LICENCE for subject-level events
    subject: NDArray[np.int64]
    day: Days
    kind: NDArray[np.int8]  # index into vocab.EVENT_TYPES
    result: NDArray[np.int8]  # index into RESULTS
    severity: NDArray[np.int8]  # index into SEVERITIES
    note: NDArray[np.int16]  # index into NOTES

    @property
    def n(self) -> int:
        return len(self.day)

    @staticmethod
    def concat(logs: list[EventLog]) -> EventLog:
        return EventLog(*(np.concatenate([getattr(log, f) for log in logs]) for f in EventLog.__dataclass_fields__))

    def sorted_by_day(self) -> EventLog:
        order = np.lexsort((self.licence, self.day))
        return EventLog(*(getattr(self, f)[order] for f in EventLog.__dataclass_fields__))


@dataclass(frozen=True)
class History:
    events: EventLog
    abnormal_now: NDArray[np.bool_]  # per subject, on the list on the as-of date
    has_severe_penalty: NDArray[np.bool_]  # per subject
    renewal_outcome_counts: tuple[int, int, int]


def _sigmoid(x: NDArray[np.float64]) -> NDArray[np.float64]:
    result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-x))
    return result


def _log(
    licence: NDArray[np.int64],
    subject: NDArray[np.int64],
    day: Days,
    kind: int,
    result: NDArray[np.integer] | int = 0,
    severity: NDArray[np.integer] | int = 0,
    note: NDArray[np.integer] | int = 0,
) -> EventLog:
    n = len(day)
    return EventLog(
        licence=licence,
        subject=subject,
        day=day,
        kind=np.full(n, kind, dtype=np.int8),
        result=np.broadcast_to(np.asarray(result, dtype=np.int8), n).copy(),
        severity=np.broadcast_to(np.asarray(severity, dtype=np.int8), n).copy(),
        note=np.broadcast_to(np.asarray(note, dtype=np.int16), n).copy(),
    )


def generate_history(
    rng: np.random.Generator,
    subjects: SubjectDraw,
    founded: Days,
    licences: LicenceDraw,
    licence_phone_kind: NDArray[np.int8],
    as_of_day: int,
) -> History:
    window_start = np.maximum(licences.line_start, as_of_day - round(HISTORY_YEARS * DAYS_PER_YEAR))
    span = (as_of_day - window_start).astype(np.float64)
    risk = licences.risk

    def occurrences(rates: tuple[tuple[float, float, float], float]) -> tuple[NDArray[np.int64], Days]:
        per_kind, slope = rates
        rate = np.asarray(per_kind)[licences.kind] * np.exp(slope * risk)
        counts = rng.poisson(rate * span / DAYS_PER_YEAR)
        lic = np.repeat(np.arange(licences.n), counts)
        day = window_start[lic] + (rng.random(len(lic)) * span[lic]).astype(np.int64)
        return lic, day

    lic, day = occurrences(_INSPECTIONS_PER_YEAR)
    inspections = _inspections(rng, lic, previous_weekday(day), licences)
    lic, day = occurrences(_PENALTIES_PER_YEAR)
    penalties = _penalties(rng, lic, previous_weekday(day), licences, as_of_day)
    lic, day = occurrences(_CHANGES_PER_YEAR)
    changes = _log(
        lic,
        licences.subject[lic],
        previous_weekday(day),
        vocab.CHANGE,
        note=NOTES.index(vocab.CHANGE_KINDS[0]) + rng.choice(3, size=len(lic), p=(0.3, 0.25, 0.45)),
    )
    lic, day = occurrences(_COMPLAINTS_PER_YEAR)
    complaints = _complaints(rng, lic, day, licences)
    listed_on, delisted_on, listings = _abnormal_list(rng, subjects, founded, as_of_day)

    renewal_lic, renewal_day, renewed_term_start = _renewal_dates(rng, licences)
    features, clean = _renewal_features(
        renewal_lic,
        renewal_day,
        renewed_term_start,
        licences,
        subjects,
        licence_phone_kind,
        inspections,
        penalties,
        changes,
        complaints,
        (listed_on, delisted_on),
    )
    outcome = draw_outcomes(rng, features, clean)
    renewals = _log(
        renewal_lic, licences.subject[renewal_lic], renewal_day, vocab.RENEWAL, result=_RENEWAL_RESULT + outcome
    )

    severe = penalties.severity == SEVERITIES.index("严重")
    has_severe = np.zeros(subjects.n, dtype=bool)
    has_severe[penalties.subject[severe]] = True
    events = EventLog.concat([inspections, penalties, changes, complaints, listings, renewals]).sorted_by_day()
    counts = np.bincount(outcome, minlength=3)
    return History(
        events=events,
        abnormal_now=(listed_on < as_of_day) & (delisted_on >= as_of_day),
        has_severe_penalty=has_severe,
        renewal_outcome_counts=(int(counts[0]), int(counts[1]), int(counts[2])),
    )


def _inspections(rng: np.random.Generator, lic: NDArray[np.int64], day: Days, licences: LicenceDraw) -> EventLog:
    r = licences.risk[lic]
    u = rng.random(len(lic))
    p_fail = _sigmoid(-3.1 + 0.9 * r)
    p_partly = (1 - p_fail) * _sigmoid(-1.5 + 0.5 * r)
    result = np.where(u < p_fail, 2, np.where(u < p_fail + p_partly, 1, 0))
    note = NOTES.index(vocab.INSPECTION_NOTES[0]) + rng.choice(
        len(vocab.INSPECTION_NOTES), size=len(lic), p=(0.6, 0.25, 0.1, 0.05)
    )
    return _log(lic, licences.subject[lic], day, vocab.INSPECTION, _INSPECTION_RESULT + result, note=note)


def _penalties(
    rng: np.random.Generator, lic: NDArray[np.int64], day: Days, licences: LicenceDraw, as_of_day: int
) -> EventLog:
    n = len(lic)
    r = licences.risk[lic]
    t = 0.5 * r + np.sqrt(0.75) * rng.standard_normal(n)
    normal = NormalDist()
    severity = 1 + (t > normal.inv_cdf(0.65)).astype(np.int64) + (t > normal.inv_cdf(0.9)).astype(np.int64)
    age = as_of_day - day
    p_open = np.where(age < 365, 0.55, np.where(age < 730, 0.12, 0.02))
    still_open = rng.random(n) < p_open
    kind = licences.kind[lic]
    note_lists = vocab.PENALTY_NOTES_BY_TYPE
    sizes = np.array([len(notes) for notes in note_lists])
    flat = np.array([NOTES.index(note) for notes in note_lists for note in notes])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    note = flat[offsets[kind] + (rng.random(n) * sizes[kind]).astype(np.int64)]
    return _log(lic, licences.subject[lic], day, vocab.PENALTY, _PENALTY_RESULT + still_open, severity, note)


def _complaints(rng: np.random.Generator, lic: NDArray[np.int64], day: Days, licences: LicenceDraw) -> EventLog:
    n = len(lic)
    founded_true = rng.random(n) < _sigmoid(-0.7 + 0.8 * licences.risk[lic])
    note = NOTES.index(vocab.COMPLAINT_NOTES[0]) + rng.integers(0, len(vocab.COMPLAINT_NOTES), n)
    return _log(lic, licences.subject[lic], day, vocab.COMPLAINT, _COMPLAINT_RESULT + ~founded_true, note=note)


def _abnormal_list(
    rng: np.random.Generator, subjects: SubjectDraw, founded: Days, as_of_day: int
) -> tuple[Days, Days, EventLog]:
    """At most one listing per subject; about two in three are lifted later."""
    n = subjects.n
    listed = rng.random(n) < _sigmoid(-2.6 + 0.9 * subjects.risk)
    first = np.maximum(founded, as_of_day - round(HISTORY_YEARS * DAYS_PER_YEAR))
    span = np.maximum(as_of_day - first, 1)
    listed_on = np.where(listed, previous_weekday(first + (rng.random(n) * span).astype(np.int64)), NEVER)
    delisted_on = np.where(
        listed & (rng.random(n) < 0.65), previous_weekday(listed_on + rng.integers(30, 540, n)), NEVER
    )
    delisted_on = np.where(delisted_on < as_of_day, delisted_on, NEVER)
    who = np.flatnonzero(listed)
    gone = np.flatnonzero(delisted_on < NEVER)
    no_licence = np.full(len(who), NO_LICENCE, dtype=np.int64)
    listing = _log(
        no_licence,
        who,
        listed_on[who],
        vocab.LISTED,
        note=NOTES.index(vocab.LISTED_NOTES[0]) + rng.choice(2, size=len(who), p=(0.8, 0.2)),
    )
    lifting = _log(
        np.full(len(gone), NO_LICENCE, dtype=np.int64),
        gone,
        delisted_on[gone],
        vocab.DELISTED,
        note=NOTES.index(vocab.DELISTED_NOTES[0]) + rng.choice(2, size=len(gone), p=(0.8, 0.2)),
    )
    return listed_on, delisted_on, EventLog.concat([listing, lifting])


def _renewal_dates(rng: np.random.Generator, licences: LicenceDraw) -> tuple[NDArray[np.int64], Days, Days]:
    """One 延续 per earlier term: decided shortly before the next term starts."""
    lic = np.repeat(np.arange(licences.n), licences.previous_terms)
    first_of_licence = np.cumsum(licences.previous_terms) - licences.previous_terms
    back = np.arange(len(lic)) - np.repeat(first_of_licence, licences.previous_terms)  # 0 = latest
    next_term_start = add_years(licences.start[lic], -VALIDITY_YEARS * back)
    renewed_term_start = add_years(licences.start[lic], -VALIDITY_YEARS * (back + 1))
    day = previous_weekday(next_term_start - rng.integers(5, 46, len(lic)))
    return lic, day, renewed_term_start


def _renewal_features(
    lic: NDArray[np.int64],
    day: Days,
    term_start: Days,
    licences: LicenceDraw,
    subjects: SubjectDraw,
    licence_phone_kind: NDArray[np.int8],
    inspections: EventLog,
    penalties: EventLog,
    changes: EventLog,
    complaints: EventLog,
    abnormal: tuple[Days, Days],
) -> tuple[RenewalFeatures, NDArray[np.bool_]]:
    """The features of each renewal, and whether its history was clean."""
    three_years = day - round(3 * DAYS_PER_YEAR)
    five_years = day - round(5 * DAYS_PER_YEAR)
    outcome = inspections.result - _INSPECTION_RESULT

    def timeline(log: EventLog, mask: NDArray[np.bool_] | None = None) -> Timeline:
        keep = np.ones(log.n, dtype=bool) if mask is None else mask
        return Timeline(log.licence[keep], log.day[keep])

    def as_float(mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        return mask.astype(np.float64)

    all_inspections = timeline(inspections).total(lic, three_years, day)
    weights = Timeline(penalties.licence, penalties.day, penalty_weights(penalties.severity - 1))
    still_open = penalties.result == _PENALTY_RESULT + 1
    subject = licences.subject[lic]
    listed_on, delisted_on = abnormal
    kind = licences.kind[lic]
    features = RenewalFeatures(
        failed_inspections_3y=timeline(inspections, outcome == 2).total(lic, three_years, day),
        partly_compliant_inspections_3y=timeline(inspections, outcome == 1).total(lic, three_years, day),
        no_inspection_3y=as_float(all_inspections == 0),
        penalty_weight_5y=weights.total(lic, five_years, day),
        open_penalties=timeline(penalties, still_open).total(lic, np.zeros_like(day), day),
        changes_in_term=timeline(changes).total(lic, term_start, day),
        true_complaints_3y=timeline(complaints, complaints.result == _COMPLAINT_RESULT).total(lic, three_years, day),
        abnormal_list_on_date=as_float((listed_on[subject] <= day) & (day < delisted_on[subject])),
        individual_business=as_float(subjects.individual[subject]),
        no_valid_mobile=as_float(licence_phone_kind[lic] != PHONE_VALID),
        drug_licence=as_float(kind == vocab.DRUG),
        tobacco_licence=as_float(kind == vocab.TOBACCO),
    )
    # A clean history: in the 5 years before R no penalty, no inspection short of 符合 and no complaint found
    # true; no 登记变更 in the term being renewed; the subject never listed as abnormal up to R.
    troubles_5y = (
        timeline(penalties).total(lic, five_years, day)
        + timeline(inspections, outcome > 0).total(lic, five_years, day)
        + timeline(complaints, complaints.result == _COMPLAINT_RESULT).total(lic, five_years, day)
        + features.changes_in_term
    )
    clean = (troubles_5y == 0) & (listed_on[subject] > day)
    return features, clean
