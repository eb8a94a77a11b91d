"""The daily letter batch: every letter due that day in one PDF for the printer and one manifest for the post office.

A letter that cannot go out (an address that will not fit the window, a letter over its page limit, a value its
template lacks) is refused with its reason and left out; the others still print. Chromium failing is not a refusal:
it raises, and the whole batch can simply be run again.

Running the same day again rewrites `letters-<day>.pdf` and `manifest-<day>.csv`: each file is written beside its
final name and renamed over it, so a reader sees the old batch or the new one, never half of one. The result says
when an earlier batch was replaced, and carries the new PDF's digest for the caller's ledger.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import UndefinedError

from ground.events import TITLES, Event
from notifications.letters.address import Recipient, check_address
from notifications.letters.assemble import Placed, assemble
from notifications.letters.errors import LetterError
from notifications.letters.manifest import ManifestRow, manifest_csv
from notifications.letters.printer import DEFAULT_MAX_PAGES, LetterPrinter, PrintedLetter
from notifications.letters.template import LetterMeta, LetterTemplate
from notifications.masking import masked_logger

log = masked_logger(__name__)


@dataclass(frozen=True)
class LetterRequest:
    event: Event
    context: Mapping[str, Any]  # the event's values (notifications.events), as its SMS gets them
    recipient: Recipient
    letter: LetterMeta


@dataclass(frozen=True)
class Refused:
    letter_id: str
    reason: str


@dataclass(frozen=True)
class BatchResult:
    day: date
    pdf_path: Path | None  # None when no letter could be printed (nothing is written then)
    manifest_path: Path | None
    letters: tuple[Placed, ...]  # in print order: pages, first page in the PDF, sheets
    refused: tuple[Refused, ...]
    total_pages: int  # pages in the PDF, blank backs included
    duplex: bool
    replaced: bool  # an earlier batch for the same day was overwritten
    pdf_sha256: str | None


def batch_paths(folder: Path, day: date) -> tuple[Path, Path]:
    return folder / f"letters-{day.isoformat()}.pdf", folder / f"manifest-{day.isoformat()}.csv"


def print_daily_batch(
    requests: Sequence[LetterRequest],
    folder: Path,
    day: date,
    printer: LetterPrinter | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    duplex: bool = True,
) -> BatchResult:
    """Print `requests` into the day's PDF and manifest in `folder`. Without a `printer`, one is opened for the
    batch (one Chromium for all its letters)."""
    with _printer(printer) as open_printer:
        printed, refused = print_letters(requests, open_printer, max_pages)
    return write_batch(printed, refused, folder, day, duplex)


def write_batch(
    printed: Sequence[tuple[LetterRequest, PrintedLetter]],
    refused: Sequence[Refused],
    folder: Path,
    day: date,
    duplex: bool = True,
) -> BatchResult:
    """The printed letters merged into the day's PDF, with their manifest; nothing written if none printed."""
    for refusal in refused:
        log.warning("letter refused: %s", refusal.reason)
    if not printed:
        return BatchResult(day, None, None, (), tuple(refused), 0, duplex, False, None)
    pdf_path, manifest_path = batch_paths(folder, day)
    replaced = pdf_path.exists() or manifest_path.exists()
    if replaced:
        log.warning("replacing the earlier letter batch for %s in %s", day, folder)
    with _staged(pdf_path, manifest_path) as (pdf_file, manifest_file):
        with pdf_file.open("wb") as handle:
            placed, pages = assemble([letter for _, letter in printed], handle, duplex)
        manifest_file.write_bytes(manifest_csv(_manifest_rows([request for request, _ in printed], placed)))
        digest = hashlib.sha256(pdf_file.read_bytes()).hexdigest()
    return BatchResult(day, pdf_path, manifest_path, tuple(placed), tuple(refused), pages, duplex, replaced, digest)


def print_letters(
    requests: Sequence[LetterRequest], printer: LetterPrinter, max_pages: int = DEFAULT_MAX_PAGES
) -> tuple[list[tuple[LetterRequest, PrintedLetter]], list[Refused]]:
    """Each letter checked, rendered and printed; the ones that cannot go out refused with the reason."""
    printed: list[tuple[LetterRequest, PrintedLetter]] = []
    refused: list[Refused] = []
    seen: set[str] = set()
    for request in requests:
        letter_id = request.letter.letter_id
        try:
            if letter_id in seen:
                raise LetterError(letter_id, "the batch already has a letter with this id")
            seen.add(letter_id)
            printed.append((request, print_one(request, printer, max_pages)))
        except LetterError as exc:
            refused.append(Refused(letter_id, str(exc)))
        except UndefinedError as exc:  # the caller's context lacks a value the template needs
            refused.append(Refused(letter_id, f"letter {letter_id}: template value missing: {exc.message}"))
    return printed, refused


def print_one(request: LetterRequest, printer: LetterPrinter, max_pages: int = DEFAULT_MAX_PAGES) -> PrintedLetter:
    """One letter: address checked first (no browser time for a letter that cannot be posted), then printed."""
    check_address(request.letter.letter_id, request.recipient)
    html = LetterTemplate(request.event).render(request.context, request.recipient, request.letter)
    return printer.print_letter(request.letter.letter_id, html, max_pages)


@contextmanager
def _printer(printer: LetterPrinter | None) -> Iterator[LetterPrinter]:
    if printer is not None:
        yield printer
        return
    with LetterPrinter() as own:
        yield own


def _manifest_rows(requests: Sequence[LetterRequest], placed: Sequence[Placed]) -> list[ManifestRow]:
    return [
        ManifestRow(
            sequence=sequence,
            letter_id=spot.letter_id,
            verification_code=request.letter.verification_code,
            recipient=request.recipient.name,
            postcode=request.recipient.postcode,
            address=request.recipient.one_line,
            title=TITLES[request.event],
            pages=spot.pages,
            first_page=spot.first_page,
            sheets=spot.sheets,
        )
        for sequence, (request, spot) in enumerate(zip(requests, placed, strict=True), start=1)
    ]


@contextmanager
def _staged(*paths: Path) -> Iterator[tuple[Path, ...]]:
    """Files to write beside their final names; once the block is through, each is renamed over its name, in order:
    the renames are the only visible step. The manifest comes last, so a manifest on disk means its PDF is complete
    (the letter run relies on that). If the block fails, the staged files go and the old batch stays as it was."""
    staged = tuple(path.with_name(f".{path.name}.{os.getpid()}.tmp") for path in paths)
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        yield staged
        for temporary, path in zip(staged, paths, strict=True):
            with temporary.open("rb+") as handle:
                os.fsync(handle.fileno())  # on disk before the rename makes it the batch
            os.replace(temporary, path)
    finally:
        for temporary in staged:
            temporary.unlink(missing_ok=True)
