"""Operator holiday files: one YAML file per year holding the State Council's holiday schedule.

chinese_calendar only knows the years that existed when it was released, while renewal windows reach
into the next year. The State Council publishes next year's schedule (国务院办公厅关于部分节假日安排的通知)
each autumn; operators copy it into a file here instead of waiting for a package release.

Format (see examples/2027.example.yaml)::

    year: 2027
    reference: 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕XX号）
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
      - {name: 清明节, on: 2027-04-05}
    workdays:
      - 2027-02-07

Parsing works on the YAML node tree (``yaml.compose``) rather than on loaded Python values, because
only nodes remember their line: every error names the file and the line to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

import yaml

# The longest real holiday block is 10 days (Spring Festival 2020). A longer range is almost always a
# typo in a month (10-07 written as 12-07) that would silently cancel weeks of working days.
MAX_HOLIDAY_DAYS = 31

# date.fromisoformat also accepts 20270101 and 2027-W01-1; the notices only ever use YYYY-MM-DD.
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR_SHAPE = re.compile(r"\d{4}")

_TOP_KEYS = frozenset({"year", "reference", "holidays", "workdays"})
_HOLIDAY_KEYS = frozenset({"name", "on", "from", "to"})

# The shipped sample must never be taken for a real schedule, even if the folder setting points at it.
_EXAMPLE_MARKER = ".example."
_EXAMPLE_REFERENCE = "EXAMPLE"


class HolidayFileError(ValueError):
    """A holiday file that cannot be trusted; the message starts with ``<path> line <n>:``."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path} line {line}: {problem}")


@dataclass(frozen=True)
class HolidayYear:
    """One year's schedule as read from a file."""

    year: int
    reference: str
    holidays: frozenset[date]  # days off, ranges already expanded
    workdays: frozenset[date]  # adjusted working weekends (调休上班)
    path: Path
    year_line: int  # where `year:` is, so a duplicate year can point at it


def parse_holiday_file(text: str, path: Path) -> HolidayYear:
    """Validate one file's text; ``path`` is only used in error messages."""
    root = _compose(text, path)
    top = _mapping(root, _TOP_KEYS, "the file", path)
    year_node = _required(top, "year", root, path, "the year the schedule is for")
    year = _year(year_node, path)
    reference = _text(_required(top, "reference", root, path, "the notice this schedule comes from"), path)
    holidays = _holidays(_required(top, "holidays", root, path, "the days off"), year, path)
    workdays = _workdays(top.get("workdays"), year, holidays, path)
    return HolidayYear(year, reference, frozenset(holidays), frozenset(workdays), path, _line(year_node))


def load_holiday_file(path: Path) -> HolidayYear:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HolidayFileError(path, 1, f"not UTF-8 text ({exc.reason})") from exc
    return parse_holiday_file(text, path)


def holiday_file_paths(folder: Path) -> list[Path]:
    """The files in ``folder`` that count as holiday files, in a stable order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"holiday folder {folder} does not exist (setting PROACTIVE_CALENDAR__HOLIDAY_DIR)")
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix in {".yaml", ".yml"} and _EXAMPLE_MARKER not in p.name
    )


def load_holiday_dir(folder: Path) -> dict[int, HolidayYear]:
    """Read every holiday file in ``folder``; the keys are the years the files cover."""
    return index_by_year([load_holiday_file(p) for p in holiday_file_paths(folder)])


def index_by_year(files: list[HolidayYear]) -> dict[int, HolidayYear]:
    # Two files for one year would make the result depend on file order: refuse instead of guessing.
    by_year: dict[int, HolidayYear] = {}
    for f in files:
        if f.year in by_year:
            raise HolidayFileError(f.path, f.year_line, f"year {f.year} is already covered by {by_year[f.year].path}")
        by_year[f.year] = f
    return by_year


# --- node helpers: each either returns a checked value or raises with the node's line -------------


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1  # marks count from 0, editors from 1


def _fail(node: yaml.Node, path: Path, problem: str) -> NoReturn:
    raise HolidayFileError(path, _line(node), problem)


def _compose(text: str, path: Path) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise HolidayFileError(path, line, f"not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if root is None:
        raise HolidayFileError(path, 1, "the file is empty")
    return root


def _mapping(node: yaml.Node, allowed: frozenset[str], what: str, path: Path) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        _fail(node, path, f"{what} must be a mapping of {', '.join(sorted(allowed))}")
    out: dict[str, yaml.Node] = {}
    for key, value in node.value:
        name = str(key.value)
        # A misspelt key (e.g. `holiday:`) would otherwise be ignored and its days silently lost.
        if name not in allowed:
            _fail(key, path, f"unknown key {name!r} in {what} (expected {', '.join(sorted(allowed))})")
        if name in out:
            _fail(key, path, f"key {name!r} appears twice in {what}")
        out[name] = value
    return out


def _required(fields: dict[str, yaml.Node], key: str, parent: yaml.Node, path: Path, why: str) -> yaml.Node:
    if key not in fields:
        _fail(parent, path, f"missing '{key}' ({why})")
    return fields[key]


def _scalar(node: yaml.Node, what: str, path: Path) -> str:
    if not isinstance(node, yaml.ScalarNode):
        _fail(node, path, f"{what} must be a single value")
    return str(node.value).strip()


def _text(node: yaml.Node, path: Path) -> str:
    value = _scalar(node, "reference", path)
    if not value:
        _fail(node, path, "reference is empty (cite the notice this schedule comes from)")
    # The shipped sample says EXAMPLE in its reference: a copy nobody edited holds invented dates.
    if _EXAMPLE_REFERENCE in value:
        _fail(
            node,
            path,
            "reference marks this as the example file: put in the published dates and cite the notice",
        )
    return value


def _year(node: yaml.Node, path: Path) -> int:
    value = _scalar(node, "year", path)
    if not _YEAR_SHAPE.fullmatch(value):
        _fail(node, path, f"year {value!r} is not a four-digit year")
    return int(value)


def _date(node: yaml.Node, year: int, path: Path) -> date:
    value = _scalar(node, "a date", path)
    if not _DATE_SHAPE.fullmatch(value):
        _fail(node, path, f"{value!r} is not a date written as YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        _fail(node, path, f"date {value} is not a valid date")
    if day.year != year:
        _fail(node, path, f"date {value} is outside the file's year {year}")
    return day


def _holidays(node: yaml.Node, year: int, path: Path) -> dict[date, int]:
    """Every day off, with the line that declared it (for the holiday/workday clash message)."""
    if not isinstance(node, yaml.SequenceNode):
        _fail(node, path, "holidays must be a list of {name, on} or {name, from, to} entries")
    days: dict[date, int] = {}
    for entry in node.value:
        for day in _holiday_entry(entry, year, path):
            days.setdefault(day, _line(entry))
    return days


def _holiday_entry(node: yaml.Node, year: int, path: Path) -> list[date]:
    fields = _mapping(node, _HOLIDAY_KEYS, "a holiday", path)
    name = _scalar(_required(fields, "name", node, path, "e.g. 春节"), "name", path)
    if not name:
        _fail(node, path, "holiday name is empty")
    if ("on" in fields) == ("from" in fields or "to" in fields):
        _fail(node, path, f"holiday {name} needs either 'on' or both 'from' and 'to'")
    if "on" in fields:
        return [_date(fields["on"], year, path)]
    first = _date(_required(fields, "from", node, path, "first day off"), year, path)
    last = _date(_required(fields, "to", node, path, "last day off, inclusive"), year, path)
    length = (last - first).days + 1
    if length < 1:
        _fail(node, path, f"holiday {name} ends ({last}) before it starts ({first})")
    if length > MAX_HOLIDAY_DAYS:
        _fail(node, path, f"holiday {name} lasts {length} days (more than {MAX_HOLIDAY_DAYS}): check the dates")
    return [first + timedelta(days=i) for i in range(length)]


def _workdays(node: yaml.Node | None, year: int, holidays: dict[date, int], path: Path) -> list[date]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        _fail(node, path, "workdays must be a list of dates")
    days = []
    for item in node.value:
        day = _date(item, year, path)
        if day in holidays:
            _fail(item, path, f"{day} is listed both as a holiday (line {holidays[day]}) and as a workday")
        # 调休 only ever moves work onto a Saturday or Sunday; a weekday here is a mistyped date.
        if day.weekday() < 5:
            _fail(item, path, f"workday {day} is a {day:%A}, already a working day (list only 调休 weekends)")
        days.append(day)
    return days
