"""Any list the console shows, as CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX, with the same
column headings as the page. Each export is in the audit log: lists name holders."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from fastapi import Request
from fastapi.responses import Response

from agent.console.web import address, desk
from domain.access.accounts import Session
from domain.access.audit import record

KINDS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def exported(
    request: Request,
    session: Session,
    rows: Sequence[Mapping[str, Any]],
    columns: Mapping[str, str],
    name: str,
    format: str,
) -> Response:
    """The rows under the page's headings, in `format` (csv or xlsx)."""
    frame = pd.DataFrame(
        [{label: row.get(key) for key, label in columns.items()} for row in rows], columns=[*columns.values()]
    )
    buffer = io.BytesIO()
    if format == "xlsx":
        frame.to_excel(buffer, index=False, sheet_name=name[:31])
    else:
        buffer.write(frame.to_csv(index=False).encode("utf-8-sig"))
    d = desk(request)
    with d.rt.engine.begin() as connection:
        detail = {"rows": len(rows), "format": format}
        record(connection, d.now(), session.account.username, "export", name, detail, address(request))
    media, suffix = KINDS[format]
    disposition = f'attachment; filename="{name}.{suffix}"'
    return Response(buffer.getvalue(), media_type=media, headers={"Content-Disposition": disposition})
