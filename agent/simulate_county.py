"""The simulated county's registry over the year: the generated exports, and each month's STAND-IN changes written
into them — new licences issued, subjects deregistered (with their licences cancelled) — for the service to load
as it loads the real exports."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sandbox.registry import generate_county

SUBJECTS, LICENCES, EVENTS = "subjects.csv", "licences.csv", "events.csv"
SUBJECT_ENCODING, LICENCE_ENCODING = "gbk", "utf-8-sig"  # as the generator writes them
NEW_SHARE = 0.006  # licences issued a month, of the county's licences
GONE_SHARE = 0.003  # subjects deregistered a month
VALID_YEARS = 5


@dataclass(frozen=True)
class Change:
    issued: int
    deregistered: int


def prepare(folder: Path, licences: int, seed: int, start: date) -> Path:
    """The county's exports as they stand on the first day (generated once per size, seed and day)."""
    county = folder / f"county-{licences}-{seed}-{start:%Y%m%d}"
    if not (county / EVENTS).exists():
        generate_county(county, licences, seed=seed, as_of=start)
    return county


def change_day(day: date, start: date) -> bool:
    """The exports change on the first day of each month after the start (the registries' monthly updates)."""
    return day != start and day.day == 1


def apply_month(county: Path, seed: int, day: date) -> Change:
    """Issue new food licences to some going subjects and deregister others, in the exports themselves."""
    rng = random.Random(f"{seed}:county:{day}")
    subjects_header, subject_rows = _read(county / SUBJECTS, SUBJECT_ENCODING)
    licences_header, licence_rows = _read(county / LICENCES, LICENCE_ENCODING)
    s, li = _columns(subjects_header), _columns(licences_header)
    going = [row for row in subject_rows if len(row) == len(subjects_header) and row[s["登记状态"]] == "存续"]
    food = [
        row for row in licence_rows if len(row) == len(licences_header) and row[li["许可证类型"]] == "食品经营许可证"
    ]
    gone = rng.sample(going, min(len(going), round(GONE_SHARE * len(subject_rows))))
    gone_codes = {row[s["统一社会信用代码"]] for row in gone}
    for row in gone:
        row[s["登记状态"]] = "注销"
    for row in licence_rows:
        if len(row) == len(licences_header) and row[li["统一社会信用代码"]] in gone_codes:
            row[li["许可状态"]] = "注销"
    issued = [
        _new_licence(template, li, day, seed, n)
        for n, template in enumerate(rng.sample(food, min(len(food), max(1, round(NEW_SHARE * len(licence_rows))))))
    ]
    _write(county / SUBJECTS, SUBJECT_ENCODING, subjects_header, subject_rows)
    _write(county / LICENCES, LICENCE_ENCODING, licences_header, licence_rows + issued)
    return Change(len(issued), len(gone))


def _new_licence(template: list[str], column: dict[str, int], day: date, seed: int, n: int) -> list[str]:
    """A second shop of a holder that has one: same holder and items, a new number, five years from `day`."""
    row = list(template)
    serial = (day.toordinal() * 50 + n + seed) % 10_000_000
    row[column["许可证编号"]] = f"JY2150624{serial:07d}"
    row[column["经营场所"]] = f"{row[column['经营场所']]}（分店{day:%m%d}{n}）"
    expiry = day.replace(year=day.year + VALID_YEARS) - timedelta(days=1)
    for name, value in (("发证日期", day), ("有效期起", day), ("有效期至", expiry)):
        row[column[name]] = value.isoformat()
    row[column["许可状态"]] = "有效"
    return row


def _columns(header: list[str]) -> dict[str, int]:
    return {name: index for index, name in enumerate(header)}


def _read(path: Path, encoding: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding, errors="replace"), newline="")))
    return rows[0], rows[1:]


def _write(path: Path, encoding: str, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(out.getvalue().encode(encoding, errors="replace"))


def renew_at_counter(county: Path, renewed: dict[str, tuple[date, date]]) -> int:
    """The licensing departments' renewals at their counters, in the licences export: licence → (the day it was
    renewed, its old expiry); the new term runs five years from the old expiry. How many rows changed."""
    header, rows = _read(county / LICENCES, LICENCE_ENCODING)
    column, changed = _columns(header), 0
    for row in rows:
        if len(row) != len(header) or row[column["许可证编号"]] not in renewed:
            continue
        day, old_expiry = renewed[row[column["许可证编号"]]]
        row[column["发证日期"]] = day.isoformat()
        row[column["有效期起"]] = (old_expiry + timedelta(days=1)).isoformat()
        row[column["有效期至"]] = _years_on(old_expiry, VALID_YEARS).isoformat()
        changed += 1
    _write(county / LICENCES, LICENCE_ENCODING, header, rows)
    return changed


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
