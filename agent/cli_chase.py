"""`proactive cases overdue`: the cases waiting on their approver past the promised working days, how long each has
waited and since when, the department that decides it and the chases (催办) sent."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_output import CsvFlag, JsonFlag, records_text
from agent.cli_types import Fail, GetRuntime

if TYPE_CHECKING:
    from agent.runtime import Runtime
    from domain.chasing.survey import Pending

# The chase's SMS as the outbox has it; None: not in the outbox (its template was refused, see the notify run).
NOT_QUEUED = "未入发送队列"


def register_chase(cases_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @cases_app.command("overdue")
    def overdue(
        as_of: Annotated[str | None, typer.Option(help="count the waiting up to YYYY-MM-DD (default: today)")] = None,
        as_json: JsonFlag = False,
        as_csv: CsvFlag = False,
    ) -> None:
        """Cases waiting on their approver past the promised working days: how long each has waited and since when,
        the department that decides it, and the chases sent."""
        from domain.chasing.reads import chase_history  # lazy
        from domain.chasing.survey import survey  # lazy

        rt: Runtime = runtime()
        zone = rt.settings.zone
        try:
            today = date.fromisoformat(as_of) if as_of else rt.today()
        except ValueError as exc:
            raise fail(f"--as-of: {exc}") from exc
        with rt.engine.connect() as connection:
            found = survey(connection, rt.departments, rt.licence_types, rt.calendar, rt.settings.chase, today, zone)
            late = [pending for pending in found.pending if pending.standing.overdue]
            history = chase_history(connection, [pending.case["filing_id"] for pending in late])
        if as_json or as_csv:
            records = [overdue_record(pending, history, zone) for pending in late]
            typer.echo(records_text(records, as_json), nl=False)
            return
        console.print(overdue_table(late, history, zone, today))
        for warning in found.unknown:
            console.print(f"[yellow]{escape(warning)}[/yellow]", soft_wrap=True)


def overdue_table(late: list[Pending], history: dict[int, list[dict[str, Any]]], zone: ZoneInfo, today: date) -> Table:
    from ground.store.reads import stored_moment  # lazy

    table = Table(
        "案件",
        "事项",
        "办件编号",
        "审批部门",
        "提交时间",
        "承诺",
        "已等待",
        "催办",
        title=f"超期未办结（{today}，{len(late)}件）",
    )
    for pending in late:
        case, standing = pending.case, pending.standing
        table.add_row(
            str(case["id"]),
            escape(pending.matter.label),
            escape(case["application_no"] or ""),
            escape(pending.matter.department.name),
            f"{stored_moment(case['filed_at']).astimezone(zone):%Y-%m-%d %H:%M}",
            f"{pending.matter.promised_working_days}个工作日",
            f"{'约' if standing.estimated else ''}{standing.waited}个工作日",
            "\n".join(_chase_line(chase, zone) for chase in history.get(case["filing_id"], [])) or "—",
        )
    return table


def overdue_record(pending: Pending, history: dict[int, list[dict[str, Any]]], zone: ZoneInfo) -> dict[str, Any]:
    """One overdue case for a program: the table's columns, with codes and numbers rather than words."""
    from domain.chasing.survey import local_day  # lazy
    from ground.store.reads import stored_moment  # lazy

    case, standing = pending.case, pending.standing
    chases = history.get(case["filing_id"], [])
    return {
        "case_id": case["id"],
        "matter": pending.matter.label,
        "application_no": case["application_no"],
        "department": pending.matter.department.name,
        "filed_at": stored_moment(case["filed_at"]).astimezone(zone),
        "promised_working_days": pending.matter.promised_working_days,
        "waited_working_days": standing.waited,
        "waited_estimated": standing.estimated,
        "chases": [
            {"number": c["number"], "level": c["level"], "at": local_day(c["at"], zone), "sms": c["sms_status"]}
            for c in chases
        ],
    }


def _chase_line(chase: dict[str, Any], zone: ZoneInfo) -> str:
    from domain.chasing.survey import local_day  # lazy
    from domain.chasing.timing import LEVEL_WORDS, Level  # lazy

    day = local_day(chase["at"], zone)
    who = f"{LEVEL_WORDS[Level(chase['level'])]}{chase['recipient_name']}"
    return escape(f"第{chase['number']}次 {day:%m-%d} {who}（{_sms_word(chase['sms_status'])}）")


def _sms_word(status: str | None) -> str:
    from notifications.outbox import STATUS_WORDS, Status  # lazy

    return NOT_QUEUED if status is None else STATUS_WORDS.get(Status(status), status)
