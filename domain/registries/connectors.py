"""Reading a registry export — CSV (UTF-8 or GBK), Excel, Parquet or a SQL query — into a frame of text.

Every value arrives as text (or missing) so the mapping, not the reader, decides what it means. The frame carries
`_line`: the physical line where the row starts in a CSV file (header = line 1) or its position in other sources.
A CSV row the parser cannot split into the header's columns, or a line longer than `MAX_LINE_BYTES`, does not
stop the read: it comes back among the broken rows, with its line and why, and the rest of the file loads.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from domain.registries.mapping import Format, Mapping

LINE = "_line"
BROKEN_REASON = "_reason"  # the same names as the validator's rejected rows, so both quarantine alike
BROKEN_DETAIL = "_detail"
BROKEN_TEXT = "text"  # a broken row has no columns: its raw text (the start of it) is what is kept
# A registry row is a few hundred bytes; a line past this is not a record, and pyarrow cannot parse a row longer
# than its block (1 MiB), so the line is set aside before it can make the whole file unreadable.
MAX_LINE_BYTES = 256 * 1024
KEPT_TEXT_CHARS = 1000  # of a broken row's text, enough to find it and see what is wrong


class ExportUnreadable(Exception):
    """The export cannot be read at all; nothing was loaded."""


@dataclass(frozen=True)
class RawExport:
    rows: pd.DataFrame  # text columns + LINE
    broken: pd.DataFrame = field(default_factory=lambda: broken_rows([]))  # LINE, reason, detail, text


def read_export(
    mapping: Mapping, path: Path | None = None, url: str | None = None, query: str | None = None
) -> RawExport:
    if mapping.format is Format.SQL:
        if not url or not query:
            raise ExportUnreadable(f"mapping {mapping.name} reads a database: give a URL and a query")
        export = RawExport(_read_sql(url, query))
    else:
        if path is None:
            raise ExportUnreadable(f"mapping {mapping.name} reads a file: give its path")
        export = _read_file(mapping, path)
    missing = sorted(set(mapping.source_columns) - set(export.rows.columns) - {LINE})
    if missing:
        where = path or "the query"
        raise ExportUnreadable(f"{where}: columns {missing} named by mapping {mapping.name} are not in the export")
    return export


def _read_file(mapping: Mapping, path: Path) -> RawExport:
    try:
        if mapping.format is Format.CSV:
            return _read_csv(path, mapping.encoding)
        if mapping.format is Format.EXCEL:
            frame = pd.read_excel(path, sheet_name=mapping.sheet, dtype=str, keep_default_na=False)
            return RawExport(_as_text(frame, first_line=2))
        return RawExport(_as_text(pd.read_parquet(path), first_line=1))
    except OSError as exc:
        raise ExportUnreadable(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (ValueError, pa.ArrowException) as exc:
        raise ExportUnreadable(f"{path}: not a readable {mapping.format.value} file: {exc}") from exc


def detect_encoding(path: Path) -> str:
    """UTF-8 when the file decodes as UTF-8, else GB18030 (a superset of GBK, so GBK exports read too).

    Reads in blocks, so a large export is never held in memory as text.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as file:
        try:
            while block := file.read(1 << 20):
                decoder.decode(block)
        except UnicodeDecodeError:
            return "gb18030"
    # Bytes left undecoded at the end are a character the writer cut off (an export that broke mid-way): the file
    # is UTF-8 and its last, cut row is refused with the rest of what cannot be read.
    return "utf-8"


def _read_csv(path: Path, encoding: str) -> RawExport:
    encoding = detect_encoding(path) if encoding == "auto" else encoding
    header = _header(path, encoding)
    invalid: list[tuple[int, int, str]] = []  # (row number, columns, text) of the rows pyarrow could not split

    def set_aside(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.actual_columns, row.text))
        return "skip"

    with path.open("rb") as file:
        lines = LongLines(file, MAX_LINE_BYTES, utf8=encoding.replace("_", "-").lower() in ("utf-8", "utf-8-sig"))
        table = pacsv.read_csv(
            lines,
            read_options=pacsv.ReadOptions(encoding=encoding, use_threads=False),  # one thread: rows are numbered
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=set_aside
            ),  # an empty line is a row, so that counting rows counts lines
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header}, strings_can_be_null=True, null_values=[""]
            ),
        )
    records = 1 + table.num_rows + len(invalid) + len(lines.set_aside)
    spans = _line_spans(table) if lines.breaks > records else np.ones(table.num_rows, dtype=np.int64)
    valid_lines, invalid_lines = _start_lines(spans, invalid, lines.set_aside)
    frame = table.to_pandas()
    frame[LINE] = valid_lines
    filled = frame.drop(columns=LINE).notna().any(axis=1)
    if not filled.all():
        frame = frame[filled]  # an empty line holds nothing to keep or refuse
    wrong = [
        (line, "wrong number of columns", f"expected {len(header)} columns, got {columns}", text)
        for line, (_, columns, text) in zip(invalid_lines, invalid, strict=True)
    ]
    return RawExport(frame.reset_index(drop=True), broken_rows(wrong + _too_long(lines.set_aside, encoding)))


def _too_long(set_aside: list[tuple[int, int, bytes]], encoding: str) -> list[tuple[int, str, str, str]]:
    return [
        (
            line,
            "line too long",
            f"{length} bytes, over the limit of {MAX_LINE_BYTES}",
            start.decode(encoding, "replace"),
        )
        for line, length, start in set_aside
    ]


def _header(path: Path, encoding: str) -> list[str]:
    with path.open("rb") as file:
        first_line = file.readline()
    try:
        header_text = first_line.decode(encoding).removeprefix("\ufeff")
    except (UnicodeDecodeError, LookupError) as exc:
        raise ExportUnreadable(f"{path}: cannot decode as {encoding}: {exc}") from exc
    header = next(csv.reader([header_text]), None)
    if not header:
        raise ExportUnreadable(f"{path}: empty file, no header row")
    if len(set(header)) != len(header):
        raise ExportUnreadable(f"{path}: the header names a column twice: {header}")
    return header


def broken_rows(rows: list[tuple[int, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[LINE, BROKEN_REASON, BROKEN_DETAIL, BROKEN_TEXT])
    frame[BROKEN_TEXT] = frame[BROKEN_TEXT].str.slice(0, KEPT_TEXT_CHARS)
    return frame.sort_values(LINE, kind="stable").reset_index(drop=True)


def _line_spans(table: pa.Table) -> np.ndarray:
    """How many physical lines each parsed row takes: one, plus the line breaks inside its quoted values."""
    spans = np.ones(table.num_rows, dtype=np.int64)
    for column in table.columns:
        spans += pc.count_substring(column, "\n").fill_null(0).to_numpy(zero_copy_only=False)
    return spans


def _start_lines(
    valid_spans: np.ndarray, invalid: list[tuple[int, int, str]], long_lines: list[tuple[int, int, bytes]]
) -> tuple[np.ndarray, np.ndarray]:
    """The physical line where each valid and each invalid row starts.

    pyarrow numbers rows (header = 1), not lines, and never saw the long lines taken out; so rows are laid end
    to end by their spans, then shifted past each long line that came before them.
    """
    count = len(valid_spans) + len(invalid)
    is_invalid = np.zeros(count, dtype=bool)
    is_invalid[[number - 2 for number, _, _ in invalid]] = True
    spans = np.empty(count, dtype=np.int64)
    spans[~is_invalid] = valid_spans
    spans[is_invalid] = [1 + text.count("\n") for _, _, text in invalid]
    starts = 2 + np.concatenate(([0], np.cumsum(spans)[:-1])).astype(np.int64)
    taken_out = np.array([line for line, _, _ in long_lines], dtype=np.int64)
    # A long line's place in the file without the long lines: the line that followed it there.
    places = taken_out - np.arange(len(taken_out))
    starts += np.searchsorted(places, starts, side="right")
    return starts[~is_invalid], starts[is_invalid]


class LongLines(io.RawIOBase):
    """A file's bytes without its lines longer than `limit`; each one taken out is kept in `set_aside` as
    (line number, length, first bytes).

    The start of a line is held back until its end is seen or it passes the limit, so a long line is never
    partly passed on. Lines are found a block at a time with numpy, so a normal file passes at memory speed.
    """

    def __init__(self, file: BinaryIO, limit: int, utf8: bool = False) -> None:
        self._file = file
        self._limit = limit
        self._utf8 = utf8  # a UTF-8 character cut off at the very end is dropped (see _whole_characters)
        self._held = b""  # the start of a line whose end is not read yet
        self._skipping = False  # inside a line already set aside: drop bytes up to its end
        self._line = 1  # the physical line that `_held` (or the line being skipped) is
        self._ready = b""
        self.set_aside: list[tuple[int, int, bytes]] = []
        self.breaks = 0  # line breaks seen: more than rows means some are inside quoted values

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._ready:
            block = self._file.read(1 << 20)
            if not block:  # the end: a last line with no line break is still a line
                self._ready, self._held = _whole_characters(self._held) if self._utf8 else self._held, b""
                break
            self._ready = self._take(block)
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size

    def _take(self, block: bytes) -> bytes:
        if self._skipping:
            block = self._skip(block)
        data = self._held + block
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")) + 1
        starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
        kept, position = [], 0
        for index in np.flatnonzero(ends - starts - 1 > self._limit):
            start, end = int(starts[index]), int(ends[index])
            self.set_aside.append((self._line + int(index), end - start - 1, data[start : start + KEPT_TEXT_CHARS]))
            kept.append(data[position:start])
            position = end
        tail = int(ends[-1]) if len(ends) else 0
        kept.append(data[position:tail])
        self._line += len(ends)
        self.breaks += len(ends)
        self._held = data[tail:]
        if len(self._held) > self._limit:
            self.set_aside.append((self._line, len(self._held), self._held[:KEPT_TEXT_CHARS]))
            self._held, self._skipping = b"", True
        return b"".join(kept)

    def _skip(self, block: bytes) -> bytes:
        line, length, start = self.set_aside[-1]
        end = block.find(b"\n")
        if end < 0:
            self.set_aside[-1] = (line, length + len(block), start)
            return b""
        self.set_aside[-1] = (line, length + end, start)
        self._skipping = False
        self._line += 1
        self.breaks += 1
        return block[end + 1 :]


def _whole_characters(tail: bytes) -> bytes:
    """The file's last bytes without a UTF-8 character cut off at the very end (a writer that died mid-row): the cut
    row is short of columns and quarantined, and the rest of the file still decodes."""
    for cut in range(1, min(4, len(tail)) + 1):
        lead = tail[-cut]
        if lead & 0xC0 != 0x80:  # the first byte of the last character
            expected = 2 if lead >> 5 == 0b110 else 3 if lead >> 4 == 0b1110 else 4 if lead >> 3 == 0b11110 else 1
            return tail[:-cut] if expected > cut else tail
    return tail


def _read_sql(url: str, query: str) -> pd.DataFrame:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            frame = pd.read_sql(text(query), connection)
    except SQLAlchemyError as exc:
        raise ExportUnreadable(
            f"registry database query failed: {exc.__class__.__name__}: {getattr(exc, 'orig', None) or exc}"
        ) from exc
    finally:
        engine.dispose()
    return _as_text(frame, first_line=1)


def _as_text(frame: pd.DataFrame, first_line: int) -> pd.DataFrame:
    """Every column as text; dates written ISO, missing values stay missing."""
    converted = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            column = column.dt.strftime("%Y-%m-%d")
        text_column = column.astype("string").str.strip()
        converted[str(name)] = text_column.mask(text_column == "")
    return _with_lines(pd.DataFrame(converted), first_line)


def _with_lines(frame: pd.DataFrame, first_line: int) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame[LINE] = frame.index + first_line
    return frame
