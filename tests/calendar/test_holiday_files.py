"""Operator holiday files: valid files load, every bad one is refused naming its file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from textwrap import dedent

import pytest

from ground.calendar import HolidayFileError, load_holiday_dir, load_holiday_file, parse_holiday_file

EXAMPLE = Path(__file__).parents[2] / "ground" / "calendar" / "examples" / "2027.example.yaml"

# Test fixture in the real format; the 2027 dates are invented, not the State Council's schedule.
VALID = dedent(
    """\
    year: 2027
    reference: test fixture, not a real notice
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
      - {name: 清明节, on: 2027-04-05}
    workdays:
      - 2027-02-07
    """
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_expands_ranges_and_keeps_single_days(tmp_path: Path) -> None:
    loaded = load_holiday_file(write(tmp_path, "2027.yaml", VALID))

    assert loaded.year == 2027
    assert loaded.reference == "test fixture, not a real notice"
    assert loaded.holidays == {date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3), date(2027, 4, 5)}
    assert loaded.workdays == {date(2027, 2, 7)}


def test_workdays_may_be_left_out(tmp_path: Path) -> None:
    text = VALID.split("workdays:")[0]

    assert load_holiday_file(write(tmp_path, "2027.yaml", text)).workdays == frozenset()


def test_loading_a_folder_reports_the_years_its_files_cover(tmp_path: Path) -> None:
    write(tmp_path, "2027.yaml", VALID)
    write(tmp_path, "2028.yml", VALID.replace("2027", "2028").replace("2028-02-07", "2028-02-06"))
    write(tmp_path, "notes.txt", "not a holiday file")

    assert set(load_holiday_dir(tmp_path)) == {2027, 2028}


def test_files_named_as_examples_are_never_loaded_from_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "2027.example.yaml", VALID)

    assert load_holiday_dir(tmp_path) == {}


def test_a_missing_folder_is_refused_rather_than_treated_as_empty(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="PROACTIVE_CALENDAR__HOLIDAY_DIR"):
        load_holiday_dir(tmp_path / "nowhere")


def test_two_files_for_the_same_year_are_refused_naming_both(tmp_path: Path) -> None:
    first = write(tmp_path, "2027.yaml", VALID)
    second = write(tmp_path, "2027b.yaml", "# revised\n" + VALID)

    with pytest.raises(HolidayFileError) as caught:
        load_holiday_dir(tmp_path)

    assert caught.value.path == second
    assert caught.value.line == 2  # the `year:` line, below the comment
    assert str(caught.value) == f"{second} line 2: year 2027 is already covered by {first}"


def test_the_error_is_a_value_error_carrying_path_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "2027.yaml", VALID.replace("2027-04-05", "2027-13-01"))

    with pytest.raises(ValueError, match="line 5") as caught:
        load_holiday_file(path)

    assert isinstance(caught.value, HolidayFileError)
    assert (caught.value.path, caught.value.line) == (path, 5)
    assert str(caught.value) == f"{path} line 5: date 2027-13-01 is not a valid date"


BAD_FILES = {
    "an_impossible_date": (
        VALID.replace("2027-04-05", "2027-13-01"),
        5,
        "date 2027-13-01 is not a valid date",
    ),
    "a_date_not_written_as_yyyy_mm_dd": (
        VALID.replace("2027-04-05", "5 April"),
        5,
        "'5 April' is not a date",
    ),
    "a_date_outside_the_files_year": (
        VALID.replace("2027-02-07", "2028-02-06"),
        7,
        "date 2028-02-06 is outside the file's year 2027",
    ),
    "a_day_both_holiday_and_workday": (
        VALID.replace("2027-02-07", "2027-01-02"),
        7,
        "2027-01-02 is listed both as a holiday (line 4) and as a workday",
    ),
    "a_missing_reference": (
        VALID.replace("reference: test fixture, not a real notice\n", ""),
        1,
        "missing 'reference'",
    ),
    "an_empty_reference": (VALID.replace("test fixture, not a real notice", ""), 2, "reference is empty"),
    "a_missing_year": (VALID.replace("year: 2027\n", ""), 1, "missing 'year'"),
    "a_year_that_is_not_a_year": (
        VALID.replace("year: 2027", "year: twenty"),
        1,
        "'twenty' is not a four-digit",
    ),
    "a_misspelt_key": (VALID.replace("workdays:", "workday:"), 6, "unknown key 'workday'"),
    "a_key_given_twice": (VALID + "year: 2027\n", 8, "key 'year' appears twice"),
    "a_holiday_without_name": (VALID.replace("name: 清明节, ", ""), 5, "missing 'name'"),
    "a_holiday_with_both_on_and_from": (
        VALID.replace("on: 2027-04-05", "on: 2027-04-05, from: 2027-04-04"),
        5,
        "needs either 'on' or both 'from' and 'to'",
    ),
    "a_range_that_ends_before_it_starts": (
        VALID.replace("from: 2027-01-01, to: 2027-01-03", "from: 2027-01-03, to: 2027-01-01"),
        4,
        "ends (2027-01-01) before it starts (2027-01-03)",
    ),
    "a_range_longer_than_a_month": (VALID.replace("to: 2027-01-03", "to: 2027-03-03"), 4, "lasts 62 days"),
    "a_workday_on_a_weekday": (VALID.replace("2027-02-07", "2027-02-08"), 7, "2027-02-08 is a Monday"),
    "holidays_that_are_not_a_list": ("year: 2027\nreference: r\nholidays: 2027-01-01\n", 3, "must be a list"),
    "broken_yaml": (VALID.replace("to: 2027-01-03}", "to: 2027-01-03"), 5, "not valid YAML"),
    "an_empty_file": ("# nothing yet\n", 1, "the file is empty"),
}


@pytest.mark.parametrize(("text", "line", "problem"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_naming_the_file_and_the_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = write(tmp_path, "2027.yaml", text)

    with pytest.raises(HolidayFileError) as caught:
        load_holiday_file(path)

    assert caught.value.path == path
    assert caught.value.line == line, str(caught.value)
    assert str(caught.value).startswith(f"{path} line {line}: ")
    assert problem in str(caught.value)


def test_parsing_needs_no_file_and_names_the_given_path() -> None:
    with pytest.raises(HolidayFileError, match=r"^holidays/2027\.yaml line 5: date 2027-13-01 is not a valid date"):
        parse_holiday_file(VALID.replace("2027-04-05", "2027-13-01"), Path("holidays/2027.yaml"))


def test_the_shipped_example_is_well_formed_once_its_reference_is_replaced() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("EXAMPLE", "a real notice")

    parsed = parse_holiday_file(text, EXAMPLE)

    assert parsed.year == 2027
    assert date(2027, 10, 1) in parsed.holidays


def test_an_unedited_copy_of_the_example_is_refused(tmp_path: Path) -> None:
    copy = write(tmp_path, "2027.yaml", EXAMPLE.read_text(encoding="utf-8"))

    with pytest.raises(HolidayFileError, match="reference marks this as the example file"):
        load_holiday_dir(tmp_path)

    assert "EXAMPLE" in copy.read_text(encoding="utf-8").split("year:")[0]  # the comment says so too
