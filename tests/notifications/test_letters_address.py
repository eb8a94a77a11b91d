"""The envelope-window check: pure, no browser. Widths are in ems of the CJK font (a Chinese character is 1)."""

from __future__ import annotations

import pytest

from notifications.letters import AddressError, Recipient, check_address
from notifications.letters.address import address_lines
from notifications.letters.layout import LAYOUT, Layout, text_width_em

NAME = "鄂托克旗乌兰镇草原味道餐饮店"
LINES = ("内蒙古自治区鄂尔多斯市鄂托克旗", "乌兰镇团结路12号")
POSTCODE = "016100"
WIDE = "乌" * LAYOUT.window_line_em  # exactly as wide as the window holds


def recipient(name: str = NAME, lines: tuple[str, ...] = LINES, postcode: str = POSTCODE) -> Recipient:
    return Recipient(name, lines, postcode)


def test_the_window_holds_twenty_characters_a_line_and_seven_lines() -> None:
    # 85 mm field less 2 × 5 mm inset at 10.5 pt (3.70 mm a character); 45 mm less 2 × 4 mm at 1.3 line height.
    assert (LAYOUT.window_line_em, LAYOUT.window_lines) == (20, 7)


def test_digits_and_latin_letters_are_narrower_than_chinese() -> None:
    assert text_width_em("乌兰镇") == 3
    assert text_width_em("12号") == pytest.approx(2.2)
    assert text_width_em("（）") == 2  # full-width brackets take a whole character


@pytest.mark.parametrize(
    "address",
    [
        recipient(),  # the sample holder: two lines
        recipient(lines=(WIDE,)),  # a line exactly as wide as the window
        recipient(lines=("内蒙古自治区", "鄂尔多斯市", "鄂托克旗乌兰镇", "团结路12号")),  # four lines, the most
        recipient(name="乌" * (2 * (LAYOUT.window_line_em - 1) - 2)),  # a long name wraps to its second line
        recipient(lines=("A" * 33,)),  # 33 Latin letters are 19.8 ems: they fit
        recipient(name=f"  {NAME}  "),  # spaces around a name are not counted
    ],
)
def test_an_address_that_fits_the_window_passes(address: Recipient) -> None:
    check_address("L1", address)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        (recipient(name=""), "name is empty"),  # nobody to deliver to
        (recipient(name="   "), "name is empty"),  # blanks only are no name either
        (recipient(name="乌" * 2 * LAYOUT.window_line_em), "name with 收 is"),  # a third window line for the name
        (recipient(name="草原\n味道"), "name has a line break"),  # a break the layout did not plan for
        (recipient(lines=()), "0 address lines"),  # no address at all
        (recipient(lines=("一", "二", "三", "四", "五")), "5 address lines"),  # more lines than the window takes
        (recipient(lines=(WIDE + "乌",)), "address line 1 is 21 characters wide"),  # one character over
        (recipient(lines=("乌兰镇", "A" * 34)), "address line 2 is 20.4 characters wide"),  # narrow but too many
        (recipient(lines=("乌兰镇", " ")), "address line 2 is empty"),  # a blank line in the window
        (recipient(lines=("乌兰镇\n团结路",)), "address line 1 has a line break"),  # would push the name out
        (recipient(postcode="01610"), "postcode '01610' is not 6 digits"),  # five digits
        (recipient(postcode="０１６１００"), "is not 6 digits"),  # full-width digits: not for sorting machines
        (recipient(postcode="016 100"), "is not 6 digits"),  # a space inside
        (recipient(postcode=""), "is not 6 digits"),  # none given
    ],
)
def test_a_bad_address_is_refused_naming_the_letter_and_the_problem(address: Recipient, problem: str) -> None:
    with pytest.raises(AddressError, match=r"^letter L7: ") as caught:
        check_address("L7", address)
    assert problem in str(caught.value)
    assert caught.value.letter_id == "L7"


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(AddressError) as caught:
        check_address("L8", recipient(name="", lines=(WIDE + "乌",), postcode="x"))
    assert len(caught.value.problems) == 3


def test_a_layout_with_a_smaller_window_holds_fewer_lines() -> None:
    small = Layout(window_height_mm=30.0)
    with pytest.raises(AddressError, match="lines do not fit the window's 4"):
        check_address("L9", recipient(lines=("一", "二", "三")), small)


@pytest.mark.parametrize(
    ("address", "township", "lines"),
    [
        # the county and the township on the first line, the street on the second: 团结路 stays whole
        (
            "内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇团结路18号",
            "乌兰镇",
            ("内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇", "团结路18号"),
        ),
        # the township does not fit after the county: it goes down whole, never 阿尔巴斯 / 苏木
        (
            "内蒙古自治区鄂尔多斯市鄂托克旗阿尔巴斯苏木赛乌素嘎查12号",
            "阿尔巴斯苏木",
            ("内蒙古自治区鄂尔多斯市鄂托克旗", "阿尔巴斯苏木赛乌素嘎查12号"),
        ),
        # 工业园区一路 is one road: not broken at its 区
        (
            "鄂托克旗棋盘井镇工业园区一路123号12号楼105号底商",
            "棋盘井镇",
            ("鄂托克旗棋盘井镇工业园区一路", "123号12号楼105号底商"),
        ),
        # a township not in the address: nothing is known of its units, so it stays whole (refused if too wide)
        ("鄂托克旗乌兰镇团结路18号", "蒙西镇", ("鄂托克旗乌兰镇团结路18号",)),
        ("", "乌兰镇", ()),  # no address on record
    ],
)
def test_address_lines_break_only_between_whole_place_names(
    address: str, township: str, lines: tuple[str, ...]
) -> None:
    assert address_lines(address, township) == lines
    assert "".join(lines) == address  # the manifest's address reads as it was written
