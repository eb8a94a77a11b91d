"""Letters printed by the real Chromium into real PDFs, read back with pypdf. One browser for the module."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from ground.events import HOLDER_EVENTS, TITLES, Event
from notifications.events import sample_context
from notifications.letters import (
    LetterMeta,
    LetterPrinter,
    LetterRequest,
    LetterTemplate,
    LetterTooLong,
    Recipient,
    print_daily_batch,
)
from notifications.letters.batch import batch_paths, print_one
from notifications.letters.manifest import COLUMNS
from notifications.letters.text_layer import fix_text_layer

DAY = date(2026, 11, 25)
HOLDER = "鄂托克旗乌兰镇草原味道餐饮店"
RECIPIENT = Recipient(HOLDER, ("内蒙古自治区鄂尔多斯市鄂托克旗", "乌兰镇团结路12号"), "016100")
RADICALS = re.compile("[\u2e80-\u2fdf]")


@pytest.fixture(scope="module")
def printer() -> Iterator[LetterPrinter]:
    with LetterPrinter() as printer:
        yield printer


def request(number: int, event: Event, recipient: Recipient = RECIPIENT, **changes: Any) -> LetterRequest:
    meta = LetterMeta(f"L20261125-{number:04d}", f"V{number:07d}", DAY)
    return LetterRequest(event, sample_context(event) | changes, recipient, meta)


def text_of(pdf: bytes) -> str:
    """The PDF's text with line breaks removed (a name may wrap at the end of a line)."""
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).replace("\n", "")


def pages_of(path: Path) -> int:
    return len(PdfReader(path, strict=True).pages)  # strict: the batch's own cross-reference table must be right


@pytest.mark.parametrize("event", HOLDER_EVENTS)
def test_every_event_prints_within_its_page_limit_with_the_chinese_text_in_the_pdf(
    printer: LetterPrinter, event: Event
) -> None:
    letter = print_one(request(1, event), printer)
    assert 1 <= letter.pages <= 2
    text = text_of(fix_text_layer(letter.pdf))
    assert HOLDER in text  # the CJK glyphs carry their characters: the text is really in the PDF
    assert TITLES[event] in text
    assert not RADICALS.search(text)  # 月 reads as 月, not as the radical ⽉ that shares its glyph


def test_the_text_layer_is_repaired_where_chromium_names_characters_by_their_radical(printer: LetterPrinter) -> None:
    text = text_of(fix_text_layer(print_one(request(1, Event.SUBSIDY_GRANTED), printer).pdf))
    assert "已于2026年12月10日拨付至您登记的银行账户" in text  # 月 and 户, not ⽉ and ⼾ (which NFKC would make 戶)


def test_a_letter_over_its_page_limit_is_refused_naming_the_letter_and_its_pages(printer: LetterPrinter) -> None:
    long = request(7, Event.SUPPLY_MATERIALS, missing=[f"第{n}项补充材料" for n in range(1, 201)])
    with pytest.raises(LetterTooLong, match=r"^letter L20261125-0007: \d+ pages, more than the limit of 2$") as caught:
        print_one(long, printer)
    assert caught.value.pages > 2


def test_the_page_limit_is_a_parameter(printer: LetterPrinter) -> None:
    html = LetterTemplate(Event.RENEWED).render(
        sample_context(Event.RENEWED), RECIPIENT, request(1, Event.RENEWED).letter
    )
    with pytest.raises(LetterTooLong, match="1 pages, more than the limit of 0"):
        printer.print_letter("L1", html, max_pages=0)


def two_page_letter(number: int) -> LetterRequest:
    return request(number, Event.SUPPLY_MATERIALS, missing=[f"第{n}项补充材料（复印件）" for n in range(1, 25)])


def test_a_batch_prints_every_letter_on_its_own_sheet_and_lists_them_for_the_post_office(
    printer: LetterPrinter, tmp_path: Path
) -> None:
    bad_address = replace(RECIPIENT, postcode="01610")
    requests = [
        request(1, Event.RENEWED),
        two_page_letter(2),
        request(3, Event.RETURNED, recipient=bad_address),  # refused: the post office cannot sort it
        request(4, Event.SUBSIDY_GRANTED),
    ]
    result = print_daily_batch(requests, tmp_path, DAY, printer)

    assert [r.letter_id for r in result.refused] == ["L20261125-0003"]
    assert "postcode '01610' is not 6 digits" in result.refused[0].reason
    assert [(p.letter_id, p.pages, p.first_page, p.sheets) for p in result.letters] == [
        ("L20261125-0001", 1, 1, 1),  # one page, then a blank back so the next letter starts a new sheet
        ("L20261125-0002", 2, 3, 1),
        ("L20261125-0004", 1, 5, 1),
    ]
    assert result.pdf_path is not None and result.pdf_path.name == "letters-2026-11-25.pdf"
    assert pages_of(result.pdf_path) == result.total_pages == 6  # the letters' pages and a blank back for each odd one
    assert not result.replaced

    assert result.manifest_path is not None and result.manifest_path.read_bytes().startswith(b"\xef\xbb\xbf")
    with result.manifest_path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert tuple(header) == COLUMNS
    assert [row[:3] for row in rows] == [
        ["1", "L20261125-0001", "V0000001"],
        ["2", "L20261125-0002", "V0000002"],
        ["3", "L20261125-0004", "V0000004"],
    ]
    assert rows[1][3:] == [
        HOLDER,
        "016100",
        "内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇团结路12号",  # as written: its lines joined without a gap
        "请补充材料",
        "2",
        "3",
        "1",
    ]


def test_a_simplex_batch_is_the_sum_of_the_letters_pages(printer: LetterPrinter, tmp_path: Path) -> None:
    result = print_daily_batch([two_page_letter(1), request(2, Event.LAPSED)], tmp_path, DAY, printer, duplex=False)
    assert result.pdf_path is not None
    assert pages_of(result.pdf_path) == result.total_pages == sum(p.pages for p in result.letters) == 3
    assert [p.first_page for p in result.letters] == [1, 3]


def test_refused_letters_do_not_stop_the_rest_and_each_says_why(printer: LetterPrinter, tmp_path: Path) -> None:
    context = sample_context(Event.RETURNED)
    del context["reason"]
    requests = [
        request(1, Event.LAPSED),
        LetterRequest(Event.RETURNED, context, RECIPIENT, request(2, Event.RETURNED).letter),  # a value missing
        request(3, Event.SUPPLY_MATERIALS, missing=["材料"] * 200),  # too long
        request(1, Event.RENEWED),  # the same letter id twice
    ]
    result = print_daily_batch(requests, tmp_path, DAY, printer)
    reasons = {r.letter_id: r.reason for r in result.refused}
    assert [p.letter_id for p in result.letters] == ["L20261125-0001"]
    assert "'reason' is undefined" in reasons["L20261125-0002"]
    assert "more than the limit of 2" in reasons["L20261125-0003"]
    assert "already has a letter with this id" in reasons["L20261125-0001"]


def test_running_the_day_again_replaces_the_batch_whole_and_says_so(printer: LetterPrinter, tmp_path: Path) -> None:
    first = print_daily_batch([request(1, Event.RENEWED), request(2, Event.LAPSED)], tmp_path, DAY, printer)
    again = print_daily_batch([request(1, Event.RENEWED)], tmp_path, DAY, printer)
    assert not first.replaced and again.replaced
    assert again.pdf_path == first.pdf_path and again.pdf_sha256 != first.pdf_sha256
    assert again.pdf_path is not None and pages_of(again.pdf_path) == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["letters-2026-11-25.pdf", "manifest-2026-11-25.csv"]


def test_without_a_printer_the_batch_opens_its_own_browser(tmp_path: Path) -> None:
    # In a thread of its own: the module's printer holds this thread's Playwright (the sync API allows one a thread).
    with ThreadPoolExecutor(max_workers=1) as thread:
        result = thread.submit(print_daily_batch, [request(1, Event.RENEWED)], tmp_path, DAY).result()
    assert result.pdf_path is not None and pages_of(result.pdf_path) == 2


def test_a_batch_with_nothing_printable_writes_nothing(printer: LetterPrinter, tmp_path: Path) -> None:
    result = print_daily_batch(
        [request(1, Event.LAPSED, recipient=replace(RECIPIENT, name=""))], tmp_path, DAY, printer
    )
    assert result.pdf_path is None and len(result.refused) == 1
    assert not any(path.exists() for path in batch_paths(tmp_path, DAY))
