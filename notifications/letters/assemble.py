"""The day's letters as one PDF for the printer, each letter starting on a sheet of its own.

The batch is printed duplex (both sides: a two-page letter is one sheet, half the paper and postage weight). So
that no letter begins on the back of the one before, a letter with an odd number of pages is followed by a blank
page. Printing simplex, no padding is needed: every page is a sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter

from notifications.letters.printer import PrintedLetter
from notifications.letters.text_layer import fix_fonts

A4_POINTS = (595.28, 841.89)  # 210 × 297 mm in PDF points


@dataclass(frozen=True)
class Placed:
    """Where a letter landed in the batch: its first page (1-based) and the sheets it takes."""

    letter_id: str
    pages: int
    first_page: int
    sheets: int


@dataclass(frozen=True)
class Assembled:
    pdf: bytes
    placed: list[Placed]
    pages: int  # blank backs included


def assemble(letters: Sequence[PrintedLetter], duplex: bool) -> Assembled:
    """The merged PDF (text layer repaired) and where each letter is in it, in the order given."""
    writer = PdfWriter()
    placed = []
    for letter in letters:
        first = len(writer.pages) + 1
        writer.append(PdfReader(BytesIO(letter.pdf)), import_outline=False)
        if duplex and letter.pages % 2:
            writer.add_blank_page(*A4_POINTS)
        sheets = (letter.pages + 1) // 2 if duplex else letter.pages
        placed.append(Placed(letter.letter_id, letter.pages, first, sheets))
    fix_fonts(writer)
    out = BytesIO()
    writer.write(out)
    return Assembled(out.getvalue(), placed, len(writer.pages))
