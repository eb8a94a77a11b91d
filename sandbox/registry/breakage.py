"""Deliberately broken rows, as real registry exports have them. Each kind is counted, and the kinds never
overlap: a row is broken in one way at most, and duplicates are copies of clean rows.

Licences: wrong credit-code check character, malformed JY number, unparseable date, 有效期至 before 有效期起,
missing 许可证编号, exact duplicate row, same-number row with conflicting content.
Subjects: wrong check character, exact duplicate row. Events: unparseable date, unknown licence number.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from sandbox.registry import vocab
from sandbox.registry.codes import CREDIT_CHARSET
from sandbox.registry.days import Days, add_years
from sandbox.registry.licences import FOOD_SERIAL_LIMIT, LICENCE_STATUSES, VALIDITY_YEARS
from sandbox.registry.text import Strings, digits, iso_dates, join, pick, where

BAD_DATE_FORMS = ("YYYY-02-30", "YYYY/13/01", "不详")  # YYYY: the year the value had


@dataclass(frozen=True)
class SubjectBreakage:
    bad_check_char: int = 0
    exact_duplicate: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class LicenceBreakage:
    bad_check_char: int = 0
    bad_number: int = 0
    bad_date: int = 0
    end_before_start: int = 0
    missing_number: int = 0
    exact_duplicate: int = 0
    conflicting_duplicate: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class EventBreakage:
    bad_date: int = 0
    unknown_licence: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


def split_count(total: int, kinds: int, at_least_one: bool) -> list[int]:
    """`total` spread over `kinds` as evenly as possible (each at least 1 when asked)."""
    base, rest = divmod(total, kinds)
    counts = [base + (1 if k < rest else 0) for k in range(kinds)]
    return [max(c, 1) for c in counts] if at_least_one else counts


def _pick_disjoint(
    rng: np.random.Generator, n: int, wanted: list[tuple[int, NDArray[np.bool_] | None]]
) -> list[NDArray[np.int64]]:
    """Disjoint sets of rows, one per (count, eligible mask) in order, drawn at random."""
    order = rng.permutation(n)
    used = np.zeros(n, dtype=bool)
    picked = []
    for count, eligible in wanted:
        ok = ~used[order] if eligible is None else (~used[order] & eligible[order])
        rows = np.sort(order[ok][:count])
        used[rows] = True
        picked.append(rows.astype(np.int64))
    return picked


def _replace(column: Strings, rows: NDArray[np.int64], values: Strings) -> Strings:
    """`column` with the (sorted) `rows` set to `values`."""
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(column, pa.array(mask), values)


def _set(table: pa.Table, name: str, rows: NDArray[np.int64], values: Strings) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, name, _replace(table.column(name).combine_chunks(), rows, values))


def _wrong_check_char(rng: np.random.Generator, codes: Strings) -> Strings:
    """Same code with another character of the GB 32100 set in place of the check character."""
    charset = pa.array(list(CREDIT_CHARSET))
    last = pc.index_in(pc.utf8_slice_codeunits(codes, 17, 18), value_set=charset).to_numpy(zero_copy_only=False)
    other = (last + rng.integers(1, 31, len(last))) % 31
    return join(pc.utf8_slice_codeunits(codes, 0, 17), pick(list(CREDIT_CHARSET), other))


def _bad_dates(rng: np.random.Generator, dates: Strings) -> Strings:
    variant = rng.integers(0, len(BAD_DATE_FORMS), len(dates))
    year = pc.utf8_slice_codeunits(dates, 0, 4)
    result = join(year, "-02-30")
    result = where(variant == 1, join(year, "/13/01"), result)
    return where(variant == 2, "不详", result)


def _bad_food_numbers(rng: np.random.Generator, numbers: Strings) -> Strings:
    """13 digits instead of 14, or a digit typed as a letter (O for 0, l or I for 1)."""
    variant = rng.integers(0, 4, len(numbers))
    result = pc.utf8_slice_codeunits(numbers, 0, 15)
    for k, (position, letter) in enumerate(((9, "O"), (12, "l"), (15, "I")), start=1):
        typo = pc.utf8_replace_slice(numbers, start=position, stop=position + 1, replacement=letter)
        result = where(variant == k, typo, result)
    return result


def _insert(rng: np.random.Generator, table: pa.Table, extra: list[pa.Table]) -> pa.Table:
    """`table` with the `extra` rows inserted at random places."""
    n = table.num_rows
    added = sum(t.num_rows for t in extra)
    keys = np.concatenate([np.arange(n, dtype=np.float64), rng.random(added) * n])
    order = np.argsort(keys, kind="stable")
    return pa.concat_tables([table, *extra]).take(pa.array(order))


def break_subjects(rng: np.random.Generator, table: pa.Table, share: float) -> tuple[pa.Table, SubjectBreakage]:
    bad_check, duplicate = split_count(round(share * table.num_rows), 2, share > 0)
    bad_rows, dup_rows = _pick_disjoint(rng, table.num_rows, [(bad_check, None), (duplicate, None)])
    code = "统一社会信用代码"
    broken = _set(table, code, bad_rows, _wrong_check_char(rng, table.column(code).combine_chunks().take(bad_rows)))
    out = _insert(rng, broken, [broken.take(pa.array(dup_rows))])
    return out, SubjectBreakage(bad_check_char=len(bad_rows), exact_duplicate=len(dup_rows))


def break_licences(
    rng: np.random.Generator, table: pa.Table, share: float, start: Days, is_food: NDArray[np.bool_]
) -> tuple[pa.Table, LicenceBreakage]:
    """`start` and `is_food` are per row of `table` (its 有效期起 as days, and whether it is a food licence)."""
    n = table.num_rows
    counts = split_count(round(share * n), 7, share > 0)
    bad_number, bad_check, bad_date, swapped, missing, duplicate, conflicting = _pick_disjoint(
        rng,
        n,
        [(counts[1], is_food), (counts[0], None), *((c, None) for c in counts[2:])],
    )

    def column(name: str, rows: NDArray[np.int64]) -> Strings:
        return table.column(name).combine_chunks().take(pa.array(rows))

    out = _set(table, "统一社会信用代码", bad_check, _wrong_check_char(rng, column("统一社会信用代码", bad_check)))
    out = _set(out, "许可证编号", bad_number, _bad_food_numbers(rng, column("许可证编号", bad_number)))
    date_field = rng.integers(0, 3, len(bad_date))
    for k, name in enumerate(("发证日期", "有效期起", "有效期至")):
        rows = bad_date[date_field == k]
        out = _set(out, name, rows, _bad_dates(rng, column(name, rows)))
    out = _set(out, "有效期起", swapped, column("有效期至", swapped))
    out = _set(out, "有效期至", swapped, column("有效期起", swapped))
    out = _set(out, "许可证编号", missing, pa.array([""] * len(missing), type=pa.string()))
    conflicts = _conflicting_copies(rng, table, conflicting, start)
    out = _insert(rng, out, [table.take(pa.array(duplicate)), conflicts])
    return out, LicenceBreakage(
        bad_check_char=len(bad_check),
        bad_number=len(bad_number),
        bad_date=len(bad_date),
        end_before_start=len(swapped),
        missing_number=len(missing),
        exact_duplicate=len(duplicate),
        conflicting_duplicate=len(conflicting),
    )


def _conflicting_copies(rng: np.random.Generator, table: pa.Table, rows: NDArray[np.int64], start: Days) -> pa.Table:
    """Copies of `rows` that keep the number but differ: the previous term's dates, another status, or
    another address."""
    copies = table.take(pa.array(rows))
    variant = rng.integers(0, 3, len(rows))
    local = np.arange(len(rows), dtype=np.int64)
    stale = local[variant == 0]
    old_start = add_years(start[rows[stale]], -VALIDITY_YEARS)
    for name, values in (
        ("发证日期", iso_dates(old_start)),
        ("有效期起", iso_dates(old_start)),
        ("有效期至", iso_dates(add_years(old_start, VALIDITY_YEARS) - 1)),
    ):
        copies = _set(copies, name, stale, values)
    restatus = local[variant == 1]
    status = copies.column("许可状态").combine_chunks().take(pa.array(restatus))
    in_force = LICENCE_STATUSES[0]
    copies = _set(
        copies, "许可状态", restatus, where(pc.equal(status, in_force).to_numpy(zero_copy_only=False), "注销", in_force)
    )
    moved = local[variant == 2]
    place = copies.column("经营场所").combine_chunks().take(pa.array(moved))
    elsewhere = table.column("经营场所").combine_chunks().take(pa.array(rng.integers(0, table.num_rows, len(moved))))
    same = pc.equal(place, elsewhere).to_numpy(zero_copy_only=False)
    return _set(copies, "经营场所", moved, where(same, join(place, "东侧"), elsewhere))


@dataclass(frozen=True)
class EventBreakPlan:
    """Which event rows (in written order) are broken, applied chunk by chunk as the file is written."""

    bad_date_rows: NDArray[np.int64]
    unknown_rows: NDArray[np.int64]
    unknown_numbers: Strings

    @property
    def summary(self) -> EventBreakage:
        return EventBreakage(bad_date=len(self.bad_date_rows), unknown_licence=len(self.unknown_rows))

    def apply(self, rng: np.random.Generator, first: int, number: Strings, day: Strings) -> tuple[Strings, Strings]:
        """Break the rows of one chunk that starts at row `first`."""
        stop = first + len(day)
        lo, hi = np.searchsorted(self.bad_date_rows, [first, stop])
        rows = self.bad_date_rows[lo:hi] - first
        day = _replace(day, rows, _bad_dates(rng, day.take(pa.array(rows))))
        lo, hi = np.searchsorted(self.unknown_rows, [first, stop])
        number = _replace(number, self.unknown_rows[lo:hi] - first, self.unknown_numbers[lo:hi])
        return number, day


def plan_event_breakage(rng: np.random.Generator, has_licence: NDArray[np.bool_], share: float) -> EventBreakPlan:
    n = len(has_licence)
    at_least_one = share > 0 and n > 0
    bad_date = max(round(share / 4 * n), 1) if at_least_one else 0
    unknown = max(round(share / 20 * n), 1) if at_least_one else 0
    bad_rows, unknown_rows = _pick_disjoint(rng, n, [(bad_date, None), (unknown, has_licence)])
    m = len(unknown_rows)
    numbers = join(
        "JY",
        digits(rng.integers(1, 4, m), 1),
        vocab.REGION_CODE,
        digits(FOOD_SERIAL_LIMIT + rng.integers(0, 10**6, m), 7),
    )
    return EventBreakPlan(bad_date_rows=bad_rows, unknown_rows=unknown_rows, unknown_numbers=numbers)
