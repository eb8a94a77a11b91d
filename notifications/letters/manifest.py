"""The mailing manifest for the post office: one row per letter in the day's PDF, in print order.

UTF-8 with a byte-order mark, so Excel (what the post office counter opens it with) reads the Chinese correctly.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from io import StringIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # Excel would run such a cell as a formula
COLUMNS = ("序号", "信函编号", "验证码", "收件人", "邮政编码", "收件地址", "事项", "页数", "起始页", "张数")


@dataclass(frozen=True)
class ManifestRow:
    sequence: int
    letter_id: str
    verification_code: str
    recipient: str
    postcode: str
    address: str
    title: str
    pages: int
    first_page: int
    sheets: int

    def cells(self) -> list[str]:
        return [_cell(str(value)) for value in vars(self).values()]


def manifest_csv(rows: Sequence[ManifestRow]) -> bytes:
    text = StringIO()
    writer = csv.writer(text, lineterminator="\r\n")  # CRLF: what Excel writes and expects
    writer.writerow(COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    """A value as Excel will show it: a name or address from a registry is never taken for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
