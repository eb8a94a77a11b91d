"""The recipient's address, and whether it fits the envelope window: a pure check, no I/O.

In the window the address is written the Chinese way, top to bottom: postcode, the address lines, then the name with
收. Address lines are printed as given (never wrapped: a wrapped line could push the name out of the window); the
name may wrap onto a second line, since business names are often long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import ceil

from notifications.letters.errors import AddressError
from notifications.letters.layout import LAYOUT, Layout, text_width_em

MAX_ADDRESS_LINES = 4
MAX_NAME_LINES = 2
NAME_SUFFIX = " 收"
POSTCODE = re.compile(r"[0-9]{6}")  # ASCII digits only: full-width digits would not be read by the sorting machines
# Where an address may go onto the next line: after a whole administrative unit before the township (省, 自治区, 市,
# 盟, 旗, 县, 区), and after a whole road or village name after it. Never inside a name: 团结路 is not 团 / 结路.
REGION_UNITS = re.compile(r".+?(?:特别行政区|自治区|省|自治州|地区|盟|市|自治旗|自治县|旗|县|区)|.+")
STREET_UNITS = re.compile(r".+?(?:大道|大街|路|街|巷|嘎查|村)(?=.)|.+")


@dataclass(frozen=True)
class Recipient:
    name: str
    address_lines: tuple[str, ...]
    postcode: str

    @property
    def addressee(self) -> str:
        """The name as the window shows it: 鄂托克旗乌兰镇草原味道餐饮店 收."""
        return self.name.strip() + NAME_SUFFIX

    @property
    def one_line(self) -> str:
        """The address as written: the lines break only between whole units, so they join back without a gap."""
        return "".join(self.address_lines)


def address_lines(address: str, township: str | None, layout: Layout = LAYOUT) -> tuple[str, ...]:
    """The address in window lines, each broken only between whole place names (the township's name comes from the
    registry, so it is never split); a unit wider than a line stays whole, for `check_address` to refuse."""
    address = " ".join(address.split())
    if not address:
        return ()
    head, found, tail = address.partition(township.strip()) if township and township.strip() else ("", "", "")
    units = [*REGION_UNITS.findall(head), found, *STREET_UNITS.findall(tail)] if found else [address]
    lines: list[str] = []
    for unit in filter(None, units):
        if lines and text_width_em(lines[-1] + unit) <= layout.window_line_em:
            lines[-1] += unit
        else:
            lines.append(unit)
    return tuple(lines)


def check_address(letter_id: str, recipient: Recipient, layout: Layout = LAYOUT) -> None:
    """Raise `AddressError` listing everything wrong with the address at once; return if it will do."""
    problems = [*_name_problems(recipient, layout), *_line_problems(recipient.address_lines, layout)]
    if not POSTCODE.fullmatch(recipient.postcode):
        problems.append(f"postcode {recipient.postcode!r} is not 6 digits")
    if not problems and _window_lines(recipient, layout) > layout.window_lines:
        problems.append(f"{_window_lines(recipient, layout)} lines do not fit the window's {layout.window_lines}")
    if problems:
        raise AddressError(letter_id, problems)


def name_lines(recipient: Recipient, layout: Layout = LAYOUT) -> int:
    """Lines the name takes in the window. One character of slack per line: the line-breaking rules (no 」or ）
    at the start of a line) can carry a character down before a line is full."""
    return ceil(text_width_em(recipient.addressee) / (layout.window_line_em - 1))


def _name_problems(recipient: Recipient, layout: Layout) -> list[str]:
    if not recipient.name.strip():
        return ["the recipient's name is empty"]
    if "\n" in recipient.name:
        return ["the recipient's name has a line break"]
    if name_lines(recipient, layout) > MAX_NAME_LINES:
        width, limit = text_width_em(recipient.addressee), MAX_NAME_LINES * (layout.window_line_em - 1)
        return [f"the recipient's name with 收 is {width:g} characters wide, the window holds {limit}"]
    return []


def _line_problems(lines: tuple[str, ...], layout: Layout) -> list[str]:
    if not 1 <= len(lines) <= MAX_ADDRESS_LINES:
        return [f"{len(lines)} address lines, 1 to {MAX_ADDRESS_LINES} expected"]
    problems = []
    for number, line in enumerate(lines, start=1):
        width = text_width_em(line)
        if not line.strip():
            problems.append(f"address line {number} is empty")
        elif "\n" in line:
            problems.append(f"address line {number} has a line break")
        elif width > layout.window_line_em:
            problems.append(
                f"address line {number} is {width:g} characters wide, the window holds {layout.window_line_em}"
            )
    return problems


def _window_lines(recipient: Recipient, layout: Layout) -> int:
    return 1 + len(recipient.address_lines) + name_lines(recipient, layout)  # the postcode has a line
