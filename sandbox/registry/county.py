"""generate_county: a seeded, realistic county's registry exports (subjects, licences, licence history)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.breakage import (
    EventBreakage,
    EventBreakPlan,
    LicenceBreakage,
    SubjectBreakage,
    break_licences,
    break_subjects,
    plan_event_breakage,
)
from sandbox.registry.days import day_number
from sandbox.registry.events import EVENT_COLUMNS, NOTES, RESULTS, SEVERITIES, EventLog, generate_history
from sandbox.registry.export import UTF8_BOM, slices, write_csv
from sandbox.registry.grades import NO_COUNT, nonconformities, risk_grades
from sandbox.registry.licences import (
    LICENCE_COLUMNS,
    draw_licences,
    licence_columns,
    licence_numbers,
    licence_phones,
    licence_statuses,
)
from sandbox.registry.subjects import (
    SUBJECT_COLUMNS,
    SubjectFlags,
    draw_subjects,
    settle_subjects,
    subject_columns,
)
from sandbox.registry.text import Strings, iso_dates, pick

SUBJECTS_FILE = "subjects.csv"  # GBK, no BOM
LICENCES_FILE = "licences.csv"  # UTF-8 with BOM
EVENTS_FILE = "events.csv"  # UTF-8, no BOM
SUBJECTS_ENCODING = "gbk"
DEFAULT_AS_OF = date(2026, 11, 25)
_ROWS_PER_CHUNK = 500_000

__all__ = [
    "EVENTS_FILE",
    "LICENCES_FILE",
    "SUBJECTS_ENCODING",
    "SUBJECTS_FILE",
    "UTF8_BOM",
    "CountySummary",
    "RenewalOutcomes",
    "generate_county",
]


@dataclass(frozen=True)
class RenewalOutcomes:
    """Earlier 延续 events by 结果: 准予延续, 补正后准予, 不予延续."""

    approved: int
    approved_after_correction: int
    refused: int

    @property
    def total(self) -> int:
        return self.approved + self.approved_after_correction + self.refused


@dataclass(frozen=True)
class CountySummary:
    """What was written. `*_rows` count data rows in each file (header excluded), broken rows included."""

    out_dir: Path
    seed: int
    as_of: date
    subjects: int
    licences: int
    subject_rows: int
    licence_rows: int
    event_rows: int
    subject_breakage: SubjectBreakage
    licence_breakage: LicenceBreakage
    event_breakage: EventBreakage
    renewal_outcomes: RenewalOutcomes

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["out_dir"] = str(self.out_dir)
        data["as_of"] = self.as_of.isoformat()
        return data


def generate_county(
    out_dir: Path,
    licences: int,
    seed: int = 0,
    as_of: date = DEFAULT_AS_OF,
    broken_share: float = 0.01,
) -> CountySummary:
    """Write subjects.csv, licences.csv and events.csv for a county with `licences` licences into `out_dir`.

    The same arguments always give byte-identical files.
    """
    if licences < 1:
        raise ValueError("licences must be at least 1")
    if not 0 <= broken_share <= 0.2:
        raise ValueError("broken_share must be between 0 and 0.2")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Spawned seeds depend only on their position, so the eighth stream (added for the subsidy facts) and the ninth
    # (risk grades, non-conformities) left the first seven, and every column they draw, as they were.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(9)]
    as_of_day = day_number(as_of)

    subjects = draw_subjects(streams[0], licences)
    draw = draw_licences(streams[1], subjects, as_of_day)
    first_of_subject = np.cumsum(subjects.licence_count) - subjects.licence_count
    facts = settle_subjects(streams[2], subjects, np.minimum.reduceat(draw.line_start, first_of_subject))
    status = licence_statuses(streams[3], draw, facts.status)
    phones = licence_phones(streams[3], draw, facts.phones)
    numbers = licence_numbers(streams[3], draw, subjects.individual)
    history = generate_history(streams[4], subjects, facts.founded, draw, phones.kind, as_of_day)
    serious_chance = 1 / (1 + np.exp(6.5 - 0.9 * subjects.risk - 2.2 * history.has_severe_penalty))
    flags = SubjectFlags(history.abnormal_now, streams[5].random(subjects.n) < serious_chance)

    breaker = streams[6]
    subject_table = pa.table(subject_columns(streams[5], subjects, facts, flags, streams[7], as_of_day))
    subject_table = subject_table.take(pa.array(np.argsort(facts.founded, kind="stable")))
    subject_table, subject_breakage = break_subjects(breaker, subject_table, broken_share)
    subject_rows = write_csv(
        out_dir / SUBJECTS_FILE,
        SUBJECT_COLUMNS,
        slices(subject_table, _ROWS_PER_CHUNK),
        encoding=SUBJECTS_ENCODING,
    )
    del subject_table

    licence_order = np.lexsort((np.arange(draw.n), draw.start))
    licence_table = pa.table(
        licence_columns(streams[5], draw, subjects, facts, numbers, status, phones)
        | {"风险等级": risk_grades(streams[8], draw.risk, draw.kind)}
    )
    licence_table = licence_table.take(pa.array(licence_order))
    licence_table, licence_breakage = break_licences(
        breaker, licence_table, broken_share, draw.start[licence_order], draw.kind[licence_order] == vocab.FOOD
    )
    licence_rows = write_csv(out_dir / LICENCES_FILE, LICENCE_COLUMNS, slices(licence_table, _ROWS_PER_CHUNK), bom=True)
    del licence_table

    plan = plan_event_breakage(breaker, history.events.licence >= 0, broken_share)
    events = history.events
    counts = nonconformities(
        streams[8],
        events.kind,
        events.result - RESULTS.index(vocab.INSPECTION_RESULTS[0]),
        np.where(events.licence >= 0, draw.risk[events.licence], 0.0),
    )
    event_rows = write_csv(
        out_dir / EVENTS_FILE,
        EVENT_COLUMNS,
        _event_chunks(breaker, events, counts, numbers, facts.code_strings, plan),
    )
    approved, corrected, refused = history.renewal_outcome_counts
    return CountySummary(
        out_dir=out_dir,
        seed=seed,
        as_of=as_of,
        subjects=subjects.n,
        licences=draw.n,
        subject_rows=subject_rows,
        licence_rows=licence_rows,
        event_rows=event_rows,
        subject_breakage=subject_breakage,
        licence_breakage=licence_breakage,
        event_breakage=plan.summary,
        renewal_outcomes=RenewalOutcomes(approved, corrected, refused),
    )


def _event_chunks(
    rng: np.random.Generator,
    events: EventLog,
    counts: NDArray[np.int64],
    numbers: Strings,
    codes: Strings,
    plan: EventBreakPlan,
) -> Iterator[pa.Table]:
    """events.csv in chunks, so a million-licence county never holds all its event strings at once."""
    no_number = len(numbers)
    numbers_or_empty = pa.concat_arrays([numbers, pa.array([""], type=pa.string())])
    for first in range(0, events.n, _ROWS_PER_CHUNK):
        part = slice(first, first + _ROWS_PER_CHUNK)
        licence = events.licence[part]
        number = numbers_or_empty.take(pa.array(np.where(licence < 0, no_number, licence)))
        number, day = plan.apply(rng, first, number, iso_dates(events.day[part]))
        yield pa.table(
            {
                "许可证编号": number,
                "统一社会信用代码": codes.take(pa.array(events.subject[part])),
                "事件类型": pick(vocab.EVENT_TYPES, events.kind[part]),
                "事件日期": day,
                "结果": pick(RESULTS, events.result[part]),
                "严重程度": pick(SEVERITIES, events.severity[part]),
                "说明": pick(NOTES, events.note[part]),
                "不符合项数": pa.array(np.where(counts[part] == NO_COUNT, "", counts[part].astype(str))),
            }
        )
