"""Writing the export files: plain CSV, comma-separated, no quoting, '\\n' line ends.

No value contains a comma, a quote or a line break (pyarrow refuses to write one unquoted, so a vocabulary
change that breaks this fails loudly instead of writing a file the loader would mis-split).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pa_csv

UTF8_BOM = b"\xef\xbb\xbf"
_WRITE_OPTIONS = pa_csv.WriteOptions(include_header=False, quoting_style="none")


def write_csv(
    path: Path,
    columns: Sequence[str],
    chunks: Iterable[pa.Table],
    encoding: str = "utf-8",
    bom: bool = False,
) -> int:
    """Write a header and the chunks' rows to `path`; returns the number of data rows written."""
    rows = 0
    with path.open("wb") as out:
        if bom:
            out.write(UTF8_BOM)
        out.write((",".join(columns) + "\n").encode(encoding))
        for chunk in chunks:
            if list(chunk.column_names) != list(columns):
                raise ValueError(f"{path.name}: columns {chunk.column_names} differ from {list(columns)}")
            _write_rows(out, chunk, encoding)
            rows += chunk.num_rows
    return rows


def _write_rows(out: BinaryIO, chunk: pa.Table, encoding: str) -> None:
    if chunk.num_rows == 0:
        return
    buffer = pa.BufferOutputStream()
    pa_csv.write_csv(chunk, buffer, _WRITE_OPTIONS)
    data = buffer.getvalue().to_pybytes()
    out.write(data if encoding == "utf-8" else data.decode("utf-8").encode(encoding))


def slices(table: pa.Table, rows_per_chunk: int) -> Iterable[pa.Table]:
    for first in range(0, table.num_rows, rows_per_chunk):
        yield table.slice(first, rows_per_chunk)
