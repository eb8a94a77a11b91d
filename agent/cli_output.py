"""Lists for a program rather than a person: `--json` (an array of objects, every field) or `--csv` (a header row,
then one row a record), the same on every list command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import typer

JsonFlag = Annotated[bool, typer.Option("--json", help="print the list as a JSON array, for a program")]
CsvFlag = Annotated[bool, typer.Option("--csv", help="print the list as CSV with a header row")]


def records_text(records: Sequence[Mapping[str, Any]], as_json: bool) -> str:
    """The records as JSON (dates and moments in ISO 8601) or CSV (a nested value as JSON in its cell)."""
    if as_json:
        return json.dumps(list(records), ensure_ascii=False, default=_iso, indent=2) + "\n"
    out = io.StringIO()
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({name: _cell(value) for name, value in record.items()} for record in records)
    return out.getvalue()


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_iso)
    return _iso(value) if hasattr(value, "isoformat") else value
