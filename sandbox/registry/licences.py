"""Licences (许可证): their types, terms, numbers and statuses, and the columns of licences.csv."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.days import DAYS_PER_YEAR, Days, add_years, next_weekday
from sandbox.registry.identities import PHONE_MISSING, PHONE_VALID, Phones, addresses, mobiles
from sandbox.registry.subjects import DEREGISTERED, STRUCK_OFF, SubjectDraw, SubjectFacts
from sandbox.registry.text import Strings, digits, iso_dates, join, pick, where

LICENCE_COLUMNS = (
    "许可证编号",
    "统一社会信用代码",
    "许可证类型",
    "经营者名称",
    "经营场所",
    "主体业态",
    "经营项目",
    "发证机关",
    "发证日期",
    "有效期起",
    "有效期至",
    "许可状态",
    "联系电话",
    "风险等级",
)

VALIDITY_YEARS = 5
# Current terms end uniformly over five years that start this many days before the as-of date, so a few
# licences have just expired and about a fifth of them expire in any year ahead.
EXPIRED_RECENTLY_DAYS = 120

LICENCE_STATUSES = ("有效", "注销", "撤销", "吊销")
IN_FORCE, CANCELLED, WITHDRAWN, REVOKED = 0, 1, 2, 3

# Earlier terms of the licence line (0, 1 or 2 renewals so far), for a subject's first licence and the others.
_PREVIOUS_TERMS_FIRST = (0.42, 0.36, 0.22)
_PREVIOUS_TERMS_LATER = (0.6, 0.3, 0.1)

_FOOD_SERIAL_DIGITS = 7
# Food serials stay below this; numbers in the block above it are used for events about unknown licences.
FOOD_SERIAL_LIMIT = 9_000_000
_TOBACCO_SERIAL_DIGITS = 8
_DRUG_SERIAL_BASE = 4_770_000  # drug numbers end in 7 digits: the city's 477 and a 4-digit serial, overflowing up


@dataclass(frozen=True)
class LicenceDraw:
    subject: NDArray[np.int64]
    slot: NDArray[np.int64]  # 0 for a subject's first licence
    kind: NDArray[np.int64]  # vocab.FOOD / TOBACCO / DRUG
    food_format: NDArray[np.int64]  # index into vocab.FOOD_FORMATS, -1 for other kinds
    items: NDArray[np.int64]  # bit k set: vocab.FOOD_ITEMS[k]
    start: Days  # current term
    end: Days
    previous_terms: NDArray[np.int64]
    line_start: Days  # first issue of this licence line
    risk: NDArray[np.float64]  # hidden

    @property
    def n(self) -> int:
        return len(self.subject)


def draw_licences(rng: np.random.Generator, subjects: SubjectDraw, as_of_day: int) -> LicenceDraw:
    count = subjects.licence_count
    subject = np.repeat(np.arange(subjects.n), count)
    n = len(subject)
    slot = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    archetype = subjects.archetype[subject]
    kind = _draw_kinds(rng, archetype, slot)
    food_format = np.where(kind == vocab.FOOD, _draw_rows(rng, _table("food_formats"), archetype), -1)
    last_start = as_of_day - EXPIRED_RECENTLY_DAYS
    first_start = last_start - round(VALIDITY_YEARS * DAYS_PER_YEAR)
    start = next_weekday(rng.integers(first_start, last_start + 1, n))
    previous = np.where(
        slot == 0,
        rng.choice(3, size=n, p=_PREVIOUS_TERMS_FIRST),
        rng.choice(3, size=n, p=_PREVIOUS_TERMS_LATER),
    )
    return LicenceDraw(
        subject=subject,
        slot=slot,
        kind=kind,
        food_format=food_format,
        items=_draw_items(rng, archetype, food_format),
        start=start,
        end=add_years(start, VALIDITY_YEARS) - 1,
        previous_terms=previous,
        line_start=add_years(start, -VALIDITY_YEARS * previous),
        risk=0.8 * subjects.risk[subject] + 0.6 * rng.standard_normal(n),
    )


def _table(field: str) -> NDArray[np.float64]:
    return np.array([getattr(a, field) for a in vocab.ARCHETYPES], dtype=np.float64)


def _draw_rows(rng: np.random.Generator, probs: NDArray[np.float64], row: NDArray[np.int64]) -> NDArray[np.int64]:
    """One categorical draw per element, from the probability row `probs[row]`."""
    cumulative = np.cumsum(probs, axis=1)
    cumulative /= cumulative[:, -1:]
    picked = (rng.random(len(row))[:, None] > cumulative[row]).sum(axis=1)
    drawn: NDArray[np.int64] = np.minimum(picked, probs.shape[1] - 1)
    return drawn


def _draw_kinds(rng: np.random.Generator, archetype: NDArray[np.int64], slot: NDArray[np.int64]) -> NDArray[np.int64]:
    max_slots = 3
    table = np.array(
        [[a.slot_types[min(k, len(a.slot_types) - 1)] for k in range(max_slots)] for a in vocab.ARCHETYPES]
    )
    flat = table.reshape(-1, 3)
    return _draw_rows(rng, flat, archetype * max_slots + np.minimum(slot, max_slots - 1))


def _draw_items(
    rng: np.random.Generator, archetype: NDArray[np.int64], food_format: NDArray[np.int64]
) -> NDArray[np.int64]:
    formats = np.array(vocab.FORMAT_ITEM_PROBS)
    per_arch_format = np.array(
        [[a.item_probs if a.item_probs is not None else formats[f] for f in range(3)] for a in vocab.ARCHETYPES]
    )
    probs = per_arch_format[archetype, np.maximum(food_format, 0)]
    chosen = rng.random(probs.shape) < probs
    own = np.array(vocab.FORMAT_OWN_ITEMS)[np.maximum(food_format, 0)]
    lacking = ~(chosen & own).any(axis=1)
    chosen[lacking, np.argmax(probs * own, axis=1)[lacking]] = True
    mask = (chosen.astype(np.int64) << np.arange(len(vocab.FOOD_ITEMS))).sum(axis=1)
    return np.where(food_format >= 0, mask, 0)


def licence_statuses(rng: np.random.Generator, draw: LicenceDraw, subject_status: NDArray[np.int8]) -> NDArray[np.int8]:
    """Mostly 有效; a deregistered subject's licences mostly 注销 and a struck-off one's mostly 吊销 — but not all,
    as in real registries."""
    n = draw.n
    own = subject_status[draw.subject]
    u = rng.random(n)
    r = draw.risk
    other = np.where(
        u < 0.009,
        CANCELLED,
        np.where(
            u < 0.009 + 0.01 * np.exp(0.5 * r - 0.2),
            WITHDRAWN,
            np.where(u < 0.009 + 0.01 * np.exp(0.5 * r - 0.2) + 0.002 * np.exp(0.8 * r - 0.5), REVOKED, IN_FORCE),
        ),
    )
    deregistered = np.where(u < 0.9, CANCELLED, IN_FORCE)
    struck_off = np.where(u < 0.7, REVOKED, np.where(u < 0.8, CANCELLED, IN_FORCE))
    status = np.where(own == DEREGISTERED, deregistered, np.where(own == STRUCK_OFF, struck_off, other))
    return status.astype(np.int8)


def licence_numbers(rng: np.random.Generator, draw: LicenceDraw, individual: NDArray[np.bool_]) -> Strings:
    """Unique numbers, issued in order of each line's first issue.

    Food: JY + 主体业态 digit (1 销售, 2 餐饮, 3 单位食堂) + region + 7-digit serial.
    Tobacco: region + 0 + 8-digit serial (15 digits). Drug: 蒙 + class (D/C, A/B) + 7 digits from 4770001.
    """
    serial = _serials(rng, draw)
    food = join(
        "JY", digits(np.maximum(draw.food_format, 0) + 1, 1), vocab.REGION_CODE, digits(serial, _FOOD_SERIAL_DIGITS)
    )
    tobacco = join(vocab.REGION_CODE, "0", digits(serial, _TOBACCO_SERIAL_DIGITS))
    n = draw.n
    drug_class = np.where(
        individual[draw.subject],
        np.where(rng.random(n) < 0.6, 0, 1),
        np.where(rng.random(n) < 0.6, 2, 3),
    )
    drug = join("蒙", pick(("DB", "CB", "DA", "CA"), drug_class), digits(_DRUG_SERIAL_BASE + serial, 7))
    return where(draw.kind == vocab.FOOD, food, where(draw.kind == vocab.TOBACCO, tobacco, drug))


def _serials(rng: np.random.Generator, draw: LicenceDraw) -> NDArray[np.int64]:
    serial = np.zeros(draw.n, dtype=np.int64)
    limits = {
        vocab.FOOD: FOOD_SERIAL_LIMIT,
        vocab.TOBACCO: 10**_TOBACCO_SERIAL_DIGITS,
        vocab.DRUG: 10**7 - _DRUG_SERIAL_BASE,
    }
    for kind, limit in limits.items():
        rows = np.flatnonzero(draw.kind == kind)
        rows = rows[np.argsort(draw.line_start[rows], kind="stable")]
        gaps = rng.integers(1, 3, len(rows))
        values = rng.integers(1, 500) + np.cumsum(gaps)
        if len(values) and values[-1] >= limit:
            raise ValueError(f"too many {vocab.LICENCE_TYPES[kind]} licences for the number format")
        serial[rows] = values
    return serial


def licence_phones(rng: np.random.Generator, draw: LicenceDraw, subject_phones: Phones) -> Phones:
    """Usually the subject's own number; sometimes another mobile; sometimes none."""
    n = draw.n
    u = rng.random(n)
    own = subject_phones.number.take(pa.array(draw.subject))
    other = u >= 0.85
    missing = u >= 0.95
    number = where(missing, "", where(other, mobiles(rng, n), own))
    kind = np.where(missing, PHONE_MISSING, np.where(other, PHONE_VALID, subject_phones.kind[draw.subject]))
    return Phones(number=number, kind=kind.astype(np.int8))


def licence_columns(
    rng: np.random.Generator,
    draw: LicenceDraw,
    subjects: SubjectDraw,
    facts: SubjectFacts,
    number: Strings,
    status: NDArray[np.int8],
    phones: Phones,
) -> dict[str, Strings]:
    """The columns of licences.csv, one row per licence, in licence order."""
    subject = pa.array(draw.subject)
    combos = [";".join(item for k, item in enumerate(vocab.FOOD_ITEMS) if m >> k & 1) for m in range(256)]
    issued = iso_dates(draw.start)
    new_place = addresses(rng, subjects.town[draw.subject])
    return {
        "许可证编号": number,
        "统一社会信用代码": facts.code_strings.take(subject),
        "许可证类型": pick(vocab.LICENCE_TYPES, draw.kind),
        "经营者名称": facts.name.take(subject),
        "经营场所": where(draw.slot == 0, facts.address.take(subject), new_place),
        "主体业态": where(draw.food_format >= 0, pick(vocab.FOOD_FORMATS, np.maximum(draw.food_format, 0)), ""),
        "经营项目": pick(combos, draw.items),
        "发证机关": pick(vocab.ISSUERS, draw.kind),
        "发证日期": issued,
        "有效期起": issued,
        "有效期至": iso_dates(draw.end),
        "许可状态": pick(LICENCE_STATUSES, status.astype(np.int64)),
        "联系电话": phones.number,
    }
