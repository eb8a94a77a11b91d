"""The day's letters as one PDF for the printer, each letter starting on a sheet of its own.

The batch is printed duplex (both sides: a two-page letter is one sheet, half the paper and postage weight). So
that no letter begins on the back of the one before, a letter with an odd number of pages is followed by a blank
page. Printing simplex, no padding is needed: every page is a sheet.

Letters are copied into the batch file one at a time: pypdf reads a letter and its objects are written out at once,
renumbered, with the text layer repaired on the way. Memory holds one letter, not the batch. (pypdf's PdfWriter
keeps every object of every letter until it writes; as Chromium draws Noto CJK with a hundred and more small Type 3
fonts a page, that came to about 15 MB a letter, a gigabyte for sixty.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
)

from notifications.letters.printer import PrintedLetter
from notifications.letters.text_layer import fix_fonts

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # the binary comment tells transfer tools the file is not text
CATALOG, PAGES = 1, 2  # object numbers the batch reserves for its own catalogue and page tree
INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # what a page may take from its page tree


@dataclass(frozen=True)
class Placed:
    """Where a letter landed in the batch: its first page (1-based) and the sheets it takes."""

    letter_id: str
    pages: int
    first_page: int
    sheets: int


class BatchPdf:
    """`add` each letter in print order, then `close`: the PDF is written to `out` as it goes."""

    def __init__(self, out: BinaryIO, duplex: bool) -> None:
        self.out = out
        self.duplex = duplex
        self.offsets: dict[int, int] = {}
        self.kids: list[int] = []
        self.next_number = PAGES + 1
        self.start = out.tell()
        out.write(HEADER)

    def add(self, letter: PrintedLetter) -> Placed:
        first = len(self.kids) + 1
        reader = PdfReader(BytesIO(letter.pdf))
        fix_fonts(reader.pages)
        for page in reader.pages:
            self.kids.append(self._copy_page(page))
        if self.duplex and letter.pages % 2:
            self.kids.append(self._blank_like(reader.pages[-1]))
        sheets = (letter.pages + 1) // 2 if self.duplex else letter.pages
        return Placed(letter.letter_id, letter.pages, first, sheets)

    def close(self) -> int:
        """Write the page tree, the catalogue and the cross-reference table; the number of pages."""
        kids = ArrayObject(IndirectObject(kid, 0, None) for kid in self.kids)
        tree: dict[str, PdfObject] = {
            "/Type": NameObject("/Pages"),
            "/Kids": kids,
            "/Count": NumberObject(len(self.kids)),
        }
        self._write(PAGES, _dictionary(tree))
        catalog: dict[str, PdfObject] = {"/Type": NameObject("/Catalog"), "/Pages": IndirectObject(PAGES, 0, None)}
        self._write(CATALOG, _dictionary(catalog))
        self._write_xref()
        return len(self.kids)

    def _copy_page(self, page: PageObject) -> int:
        """Write the page and everything it refers to (its page tree apart); the page's new object number."""
        for name in INHERITABLE:
            if name not in page and page.get_inherited(name) is not None:
                page[NameObject(name)] = page.get_inherited(name)
        page[NameObject("/Parent")] = IndirectObject(PAGES, 0, None)
        assert page.indirect_reference is not None
        numbers: dict[int, int] = {}
        todo = [page.indirect_reference.idnum]
        page_number = self._number(numbers, todo, todo[0])
        while todo:
            idnum = todo.pop()
            source = page.indirect_reference.pdf.get_object(idnum)
            self._write(numbers[idnum], _renumbered(source, lambda ref: self._number(numbers, todo, ref)))
        return page_number

    def _number(self, numbers: dict[int, int], todo: list[int], idnum: int) -> int:
        """The batch's number for a letter's object, given (and queued for writing) the first time it is met."""
        if idnum not in numbers:
            numbers[idnum] = self.next_number
            self.next_number += 1
            todo.append(idnum)
        return numbers[idnum]

    def _blank_like(self, page: PageObject) -> int:
        number = self.next_number
        self.next_number += 1
        blank: dict[str, PdfObject] = {
            "/Type": NameObject("/Page"),
            "/Parent": IndirectObject(PAGES, 0, None),
            "/MediaBox": page.mediabox,  # the same sheet size as the letter's
            "/Resources": DictionaryObject(),
        }
        self._write(number, _dictionary(blank))
        return number

    def _write(self, number: int, value: PdfObject) -> None:
        self.offsets[number] = self.out.tell() - self.start
        self.out.write(b"%d 0 obj\n" % number)
        value.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def _write_xref(self) -> None:
        where = self.out.tell() - self.start
        size = self.next_number
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self.offsets[number] for number in range(1, size)]
        trailer = _dictionary({"/Size": NumberObject(size), "/Root": IndirectObject(CATALOG, 0, None)})
        self.out.write(b"".join(lines) + b"trailer\n")
        trailer.write_to_stream(self.out)
        self.out.write(b"\nstartxref\n%d\n%%%%EOF\n" % where)


def assemble(letters: Sequence[PrintedLetter], out: BinaryIO, duplex: bool) -> tuple[list[Placed], int]:
    """Write `letters` to `out` as one PDF, in the order given; where each landed and the total pages."""
    batch = BatchPdf(out, duplex)
    placed = [batch.add(letter) for letter in letters]
    return placed, batch.close()


def _dictionary(values: dict[str, PdfObject]) -> DictionaryObject:
    return DictionaryObject({NameObject(key): value for key, value in values.items()})


def _renumbered(value: PdfObject, number: Callable[[int], int]) -> PdfObject:
    """`value` with every reference to another of the letter's objects pointed at that object's batch number (the
    page's parent is already the batch's page tree). Changed in place: the letter's reader is dropped after."""
    if isinstance(value, IndirectObject):
        if value.pdf is None:  # already one of the batch's own references
            return value
        return IndirectObject(number(value.idnum), 0, None)
    if isinstance(value, DictionaryObject):  # stream objects too: their dictionary is theirs
        for key, item in list(value.items()):
            value[key] = _renumbered(item, number)
    elif isinstance(value, ArrayObject):
        for index, item in enumerate(value):
            value[index] = _renumbered(item, number)
    return value
