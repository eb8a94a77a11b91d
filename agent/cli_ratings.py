"""`proactive ratings …`: the 好差评 follow-ups staff work on (the open ones with their deadlines; recording the
call-back) and every rating exported in the national fields."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_output import CsvFlag, JsonFlag, records_text
from agent.cli_types import Fail, GetRuntime
from domain.ratings.grades import Grade

if TYPE_CHECKING:
    from agent.runtime import Runtime
    from domain.assistance.roster import Roster


def follow_ups_table(rows: list[dict[str, Any]], today: date, zone: ZoneInfo, roster: Roster) -> Table:
    """The open follow-ups; each is the responsibility of its township's officer in today's roster."""
    from ground.store.reads import stored_moment  # lazy

    table = Table(
        "编号", "案件", "经营者", "乡镇", "责任人", "评价", "评价时间", "整改期限", "状态", title="待回访的差评"
    )
    for row in rows:
        overdue = today > row["due_on"]
        table.add_row(
            str(row["id"]),
            str(row["case_id"]),
            escape(row["holder_name"] or ""),
            escape(row["township"] or ""),
            escape(row["officer"] or roster.label_of(row["township"])),
            Grade(row["grade"]).label,
            f"{stored_moment(row['rated_at']).astimezone(zone):%Y-%m-%d %H:%M}",
            row["due_on"].isoformat(),
            "[red]逾期[/red]" if overdue else "办理中",
        )
    return table


def follow_up_record(row: dict[str, Any], today: date, zone: ZoneInfo, roster: Roster) -> dict[str, Any]:
    """One open follow-up for a program: the table's columns, with the grade's code beside its word."""
    from ground.store.reads import stored_moment  # lazy

    return {
        "id": row["id"],
        "case_id": row["case_id"],
        "holder_name": row["holder_name"],
        "township": row["township"],
        "officer": row["officer"] or roster.label_of(row["township"]),
        "grade": row["grade"],
        "grade_label": Grade(row["grade"]).label,
        "rated_at": stored_moment(row["rated_at"]).astimezone(zone),
        "due_on": row["due_on"],
        "overdue": today > row["due_on"],
    }


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    ratings_app = typer.Typer(no_args_is_help=True, help="好差评: poor ratings' follow-ups, and the ratings export.")

    @ratings_app.command("follow-ups")
    def follow_ups(as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
        """Poor ratings (不满意, 非常不满意) not yet called back, the nearest deadline first; overdue ones flagged."""
        from domain.ratings.reads import open_follow_ups  # lazy

        rt: Runtime = runtime()
        with rt.engine.connect() as connection:
            rows = open_follow_ups(connection)
        if as_json or as_csv:
            records = [follow_up_record(row, rt.today(), rt.settings.zone, rt.roster) for row in rows]
            typer.echo(records_text(records, as_json), nl=False)
            return
        console.print(follow_ups_table(rows, rt.today(), rt.settings.zone, rt.roster))

    @ratings_app.command("callback")
    def callback(
        follow_up_id: Annotated[int, typer.Argument(help="the follow-up's number (编号 in `ratings follow-ups`)")],
        note: Annotated[str, typer.Option(help="回访情况: what the holder said when called back")],
        by: Annotated[str, typer.Option(help="who called the holder back")],
        rectification: Annotated[str | None, typer.Option(help="整改情况: what was put right")] = None,
    ) -> None:
        """Record the call-back (回访) of a poor rating, closing its follow-up; kept in the case's ledger."""
        from domain.ratings.follow_ups import Callback, FollowUpClosed, record_callback  # lazy

        rt: Runtime = runtime()
        try:
            with rt.engine.begin() as connection:
                case_id = record_callback(connection, follow_up_id, Callback(note, by, rectification), rt.now())
        except FollowUpClosed as exc:
            raise fail(str(exc)) from exc
        console.print(f"follow-up {follow_up_id} (case {case_id}): call-back recorded")

    @ratings_app.command("export")
    def export(
        output: Annotated[Path, typer.Option(help="the file to write: .csv (UTF-8 with BOM) or .xlsx")],
    ) -> None:
        """Every rating in the national 好差评 fields (the README lists and defines them), the mobile masked."""
        from domain.ratings.export import national_frame  # lazy
        from domain.ratings.reads import rated  # lazy
        from notifications.masking import mask_numbers  # lazy

        if output.suffix not in (".csv", ".xlsx"):
            raise fail(f"{output}: the export is written as .csv or .xlsx")
        rt: Runtime = runtime()
        with rt.engine.connect() as connection:
            rows = rated(connection)
        matters = {code: kind.label for code, kind in rt.licence_types.items()}
        bureau = rt.settings.notify.bureau.name
        frame = national_frame(rows, matters, bureau, rt.settings.zone, rt.today(), mask_numbers)
        if output.suffix == ".csv":
            frame.to_csv(output, index=False, encoding="utf-8-sig")
        else:
            frame.to_excel(output, index=False, sheet_name="好差评")
        console.print(f"{len(frame)} ratings written to {output}")

    app.add_typer(ratings_app, name="ratings")
