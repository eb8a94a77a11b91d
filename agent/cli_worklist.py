"""`proactive worklist [OFFICER]` and `proactive worklog …`: the renewals each service officer helps with (帮办代办),
what each needs and by when, and the work log the bureau keeps (台账), exportable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from agent.cli_output import CsvFlag, JsonFlag, records_text
from agent.cli_types import Fail, GetRuntime
from domain.assistance.actions import WORDS, Action

if TYPE_CHECKING:
    from agent.runtime import Runtime
    from domain.assistance.roster import Officer

WORKLOG_COLUMNS = {
    "id": "记录编号",
    "at": "记录时间",
    "case_id": "案件编号",
    "licence_no": "许可证编号",
    "holder_name": "持证主体",
    "township": "乡镇",
    "officer_id": "工号",
    "officer_name": "帮办人员",
    "action": "工作事项",
    "note": "工作内容",
    "mandate_ref": "委托书编号",
}


class CaseFirst(TyperGroup):
    """`proactive worklog 12 called …` is `proactive worklog add 12 called …`: a case id where a command goes."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:  # click's own Context, which typer does not export
        return super().resolve_command(ctx, ["add", *args] if args and args[0].isdigit() else args)


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    worklog_app = typer.Typer(
        cls=CaseFirst,
        no_args_is_help=True,
        help="The service officers' work log (台账). `worklog ID ACTION …` is short for `worklog add ID ACTION …`.",
    )
    app.add_typer(worklog_app, name="worklog")

    @app.command("worklist")
    def worklist(
        officer: Annotated[str | None, typer.Argument(help="an officer id (default: every officer)")] = None,
        as_json: JsonFlag = False,
        as_csv: CsvFlag = False,
    ) -> None:
        """The renewals each service officer helps with (assisted, or returned by the approver), assigned by the
        holder's township: what is needed, by when, and the last work-log entry. Cases of a township no officer
        serves are listed as unassigned."""
        from domain.assistance.roster import UnknownOfficer  # lazy
        from domain.assistance.worklist import assign, worklist_cases  # lazy

        rt: Runtime = runtime()
        with rt.engine.connect() as connection:
            by_officer = assign(worklist_cases(connection), rt.roster)
        try:
            officers = [rt.roster.officer(officer)] if officer else list(rt.roster.officers)
        except UnknownOfficer as exc:
            raise fail(str(exc)) from exc
        if as_json or as_csv:
            shown: list[Officer | None] = [*officers, *([None] if officer is None else [])]  # None: unassigned
            records = [
                worklist_record(rt, who, row) for who in shown for row in by_officer.get(who.id if who else None, [])
            ]
            typer.echo(records_text(records, as_json), nl=False)
            return
        for who in officers:
            rows = by_officer.get(who.id, [])
            console.print(_cases_table(rt, rows, f"{who.label} · {'、'.join(who.townships)}（{len(rows)}件）"))
        if officer is None and by_officer.get(None):
            unassigned = by_officer[None]
            title = f"未分配：乡镇不在帮办人员名册中（{len(unassigned)}件，见 PROACTIVE_ASSIST__ROSTER_FILE）"
            console.print(_cases_table(rt, unassigned, title))

    @worklog_app.command("add")
    def add(
        case_id: int,
        action: Annotated[Action, typer.Argument(help="called, visited, materials (received) or filed")],
        note: Annotated[str, typer.Option(help="what was done, with whom (for materials: what was received)")],
        mandate: Annotated[str | None, typer.Option(help="the holder's 委托 reference; required for filed")] = None,
        officer: Annotated[str | None, typer.Option(help="who did it (default: the township's officer)")] = None,
    ) -> None:
        """Record what an officer did on a case, in the work log and the case's ledger."""
        from domain.assistance.roster import UnknownOfficer  # lazy
        from domain.assistance.worklist import township_of  # lazy
        from domain.assistance.worklog import WorkLogRefused, log_work  # lazy

        rt: Runtime = runtime()
        try:
            with rt.engine.begin() as connection:
                who = _officer(rt, officer, township_of(connection, case_id))
                entry = log_work(connection, case_id, who, action, note, mandate, rt.now())
        except (UnknownOfficer, WorkLogRefused) as exc:
            raise fail(str(exc)) from exc
        console.print(f"case {case_id}: work log entry {entry} ({WORDS[action]}, {who.label})")

    @worklog_app.command("export")
    def export(output: Annotated[Path, typer.Option(help="FILE.csv (UTF-8 with BOM, for Excel) or FILE.xlsx")]) -> None:
        """The work log (台账), every entry oldest first, with its case's licence, holder and township."""
        from domain.assistance.worklog import work_log_rows  # lazy

        rt: Runtime = runtime()
        if output.suffix not in (".csv", ".xlsx"):
            raise fail(f"--output {output}: give a .csv or .xlsx file")
        with rt.engine.connect() as connection:
            rows = work_log_rows(connection)
        write_work_log(rows, output, rt)
        console.print(f"{len(rows)} work-log entries written to {output}")


def _officer(rt: Runtime, officer_id: str | None, township: str | None) -> Officer:
    from domain.assistance.roster import UnknownOfficer  # lazy

    if officer_id is not None:
        return rt.roster.officer(officer_id)
    assigned = rt.roster.for_township(township)
    if assigned is None:
        raise UnknownOfficer(f"no officer serves the township {township!r} in the roster: give --officer")
    return assigned


def write_work_log(rows: list[dict[str, Any]], output: Path, rt: Runtime) -> None:
    import pandas as pd  # lazy

    from ground.store.reads import stored_moment  # lazy

    zone = rt.settings.zone
    shown = [
        {
            **row,
            "at": f"{stored_moment(row['at']).astimezone(zone):%Y-%m-%d %H:%M}",
            "action": WORDS[Action(row["action"])],
        }
        for row in rows
    ]
    table = pd.DataFrame(shown, columns=list(WORKLOG_COLUMNS)).rename(columns=WORKLOG_COLUMNS)
    if output.suffix == ".xlsx":
        table.to_excel(output, sheet_name="帮办代办台账", index=False)
        return
    table.to_csv(output, index=False, encoding="utf-8-sig")  # the BOM lets Excel read UTF-8


def _cases_table(rt: Runtime, rows: list[dict[str, Any]], title: str) -> Table:
    from agent.worklist_needs import apply_by, needed  # lazy

    table = Table(
        "案件", "许可证", "持证主体", "乡镇", "情形", "所需", "申请截止", "到期日", "最近工作记录", title=title
    )
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["licence_no"] or "",
            escape(row["holder_name"] or ""),
            escape(row["township"] or "（无记录）"),
            "审批退回" if row["state"] == "returned" else "需协助",
            escape(needed(rt, row)),
            str(apply_by(rt, row) or "—"),
            str(row["expires_on"]),
            escape(_last_entry(rt, row)),
        )
    return table


def worklist_record(rt: Runtime, officer: Officer | None, row: dict[str, Any]) -> dict[str, Any]:
    """One case of a worklist for a program: the table's columns, with codes and dates rather than words; an
    unassigned case has no officer."""
    from agent.worklist_needs import apply_by, needed  # lazy
    from ground.store.reads import stored_moment  # lazy

    last_at = stored_moment(row["last_at"]).astimezone(rt.settings.zone) if row["last_action"] else None
    return {
        "officer_id": officer.id if officer else None,
        "officer_name": officer.name if officer else None,
        "case_id": row["id"],
        "licence_no": row["licence_no"],
        "holder_name": row["holder_name"],
        "township": row["township"],
        "state": row["state"],
        "needs": needed(rt, row),
        "apply_by": apply_by(rt, row),
        "expires_on": row["expires_on"],
        "last_action": row["last_action"],
        "last_at": last_at,
        "last_note": row["last_note"],
    }


def _last_entry(rt: Runtime, row: dict[str, Any]) -> str:
    from ground.store.reads import stored_moment  # lazy

    if row["last_action"] is None:
        return "—"
    at = stored_moment(row["last_at"]).astimezone(rt.settings.zone)
    return f"{at:%m-%d} {WORDS[Action(row['last_action'])]}：{row['last_note']}"
