"""Reading a registry export — CSV (UTF-8 or GBK), Excel, Parquet or a SQL query — into a frame of text.

Every value arrives as text (or missing) so the mapping, not the reader, decides what it means. The frame carries
`_line`: the row's line in a CSV file (header = line 1) or its position in other sources.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from agent.registries.mapping import Format, Mapping

LINE = "_line"


class ExportUnreadable(Exception):
    """The export cannot be read at all; nothing was loaded."""


def read_export(
    mapping: Mapping, path: Path | None = None, url: str | None = None, query: str | None = None
) -> pd.DataFrame:
    if mapping.format is Format.SQL:
        if not url or not query:
            raise ExportUnreadable(f"mapping {mapping.name} reads a database: give a URL and a query")
        frame = _read_sql(url, query)
    else:
        if path is None:
            raise ExportUnreadable(f"mapping {mapping.name} reads a file: give its path")
        frame = _read_file(mapping, path)
    missing = sorted(set(mapping.source_columns) - set(frame.columns) - {LINE})
    if missing:
        where = path or "the query"
        raise ExportUnreadable(f"{where}: columns {missing} named by mapping {mapping.name} are not in the export")
    return frame


def _read_file(mapping: Mapping, path: Path) -> pd.DataFrame:
    try:
        if mapping.format is Format.CSV:
            return _read_csv(path, mapping.encoding)
        if mapping.format is Format.EXCEL:
            frame = pd.read_excel(path, sheet_name=mapping.sheet, dtype=str, keep_default_na=False)
            return _as_text(frame, first_line=2)
        return _as_text(pd.read_parquet(path), first_line=1)
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
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _read_csv(path: Path, encoding: str) -> pd.DataFrame:
    encoding = detect_encoding(path) if encoding == "auto" else encoding
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
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding=encoding),  # pyarrow transcodes as it streams
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=True,
            null_values=[""],
        ),
    )
    return _with_lines(table.to_pandas(), first_line=2)


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
