"""`proactive cases consent|materials|lapsed`: what staff record on the renewals they help with, and the list of
lapsed licences for the departments that cancel them."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_types import Fail, GetRuntime
from domain.renewals.answers import Answer

if TYPE_CHECKING:
    from domain.renewals.assisted import LapsedLicence

LAPSED_COLUMNS = {
    "licence_no": "许可证编号",
    "licence_type_label": "许可类别",
    "holder_name": "持证主体",
    "subject_key": "主体标识",
    "expires_on": "有效期至",
    "cancelled_by": "注销部门",
    "id": "案件编号",
    "lapsed_at": "逾期登记时间",
}


def register_renewals(cases_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @cases_app.command("consent")
    def consent(
        case_id: int,
        answer: Annotated[Answer, typer.Argument(help="given: authorised, nothing changed; changed: help needed")],
        via: Annotated[str, typer.Option(help="how the holder answered, kept in the ledger")] = "by phone",
    ) -> None:
        """Record a holder's answer to the invitation to authorise a seamless renewal, given by phone, letter or in
        person (SMS replies are recorded by themselves)."""
        from domain.renewals.consent import NotAwaitingConsent, record_answer  # lazy

        rt = runtime()
        try:
            with rt.engine.begin() as connection:
                state = record_answer(connection, case_id, answer, via, "staff", rt.now())
        except NotAwaitingConsent as exc:
            raise fail(str(exc)) from exc
        console.print(f"case {case_id}: {answer} → {state}")

    @cases_app.command("materials")
    def materials(
        case_id: int,
        received: Annotated[list[str], typer.Option("--received", help="an item received (repeat for each)")],
    ) -> None:
        """Record materials received from a holder staff are helping; the holder's reminders stop."""
        from domain.renewals.assisted import NotAssisted, record_materials  # lazy

        rt = runtime()
        try:
            with rt.engine.begin() as connection:
                record_materials(connection, case_id, received, "staff", rt.now())
        except NotAssisted as exc:
            raise fail(str(exc)) from exc
        console.print(f"case {case_id}: recorded {len(received)} items received; reminders stop")

    @cases_app.command("lapsed")
    def lapsed(
        output: Annotated[Path | None, typer.Option(help="write CSV (UTF-8 with BOM, for Excel) here")] = None,
    ) -> None:
        """Licences that expired with no renewal applied for, with the department that is to cancel (注销) each:
        for the departments to act on; nothing is cancelled here."""
        from domain.renewals.assisted import lapsed_licences  # lazy

        rt = runtime()
        with rt.engine.connect() as connection:
            rows = lapsed_licences(connection, rt.licence_types, rt.settings.zone)
        if output is not None or not sys.stdout.isatty():
            write_lapsed_csv(rows, output)
            if output is not None:
                console.print(f"{len(rows)} lapsed licences written to {output}")
            return
        table = Table(*LAPSED_COLUMNS.values(), title=f"到期未延续的许可证（{len(rows)}）")
        for row in rows:
            table.add_row(*(escape(str(getattr(row, key))) for key in LAPSED_COLUMNS))
        console.print(table)


def write_lapsed_csv(rows: list[LapsedLicence], output: Path | None) -> None:
    """The lapsed licences as CSV (UTF-8 with BOM, for Excel), to `output` or standard output."""

    def write(stream: TextIO) -> None:
        writer = csv.writer(stream)
        writer.writerow(LAPSED_COLUMNS.values())
        writer.writerows([getattr(row, key) for key in LAPSED_COLUMNS] for row in rows)

    if output is None:
        write(sys.stdout)
        return
    with output.open("w", encoding="utf-8-sig", newline="") as stream:
        write(stream)
