"""`proactive kpi`: the bureau's figures for a period, for the county or by township, licence type or service
officer, as a table, CSV or XLSX, with a PNG of each figure's weekly trend."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from agent.cli_types import Fail, GetRuntime

if TYPE_CHECKING:
    import pandas as pd

    from agent.runtime import Runtime
    from domain.kpi.figures import Moments, Period


class By(StrEnum):
    TOWNSHIP = "township"
    TYPE = "type"
    OFFICER = "officer"  # the service officer of the holder's township (the roster's)


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    XLSX = "xlsx"


GROUP_COLUMN = {By.TOWNSHIP: "township", By.TYPE: "licence_type", By.OFFICER: "officer"}


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @app.command("kpi")
    def kpi(
        start: Annotated[
            str | None, typer.Option("--from", help="first day, YYYY-MM-DD (default: 30 days ago)")
        ] = None,
        end: Annotated[str | None, typer.Option("--to", help="last day, YYYY-MM-DD (default: today)")] = None,
        by: Annotated[
            By | None, typer.Option(help="a row per township, licence type or service officer, beside the county")
        ] = None,
        format: Annotated[Format, typer.Option(help="table on screen, or csv / xlsx to --output")] = Format.TABLE,
        output: Annotated[Path | None, typer.Option(help="the CSV or XLSX file to write")] = None,
        plots: Annotated[Path | None, typer.Option(help="write a PNG of each figure's weekly trend here")] = None,
    ) -> None:
        """The bureau's figures for a period; each figure's definition is in the README (proactive kpi --help)."""
        from domain.kpi.figures import weekly  # lazy
        from domain.kpi.plots import write_trends  # lazy

        rt: Runtime = runtime()
        period = _period(rt, start, end, fail)
        read = moments(rt)
        table = compute(rt, read, period, None if by is None else GROUP_COLUMN[by])
        if format is Format.TABLE:
            console.print(kpi_table(table, period))
        elif output is None:
            raise fail(f"--format {format} needs --output FILE")
        else:
            export(table, format, output)
            console.print(f"figures for {period.start} – {period.end} written to {output}")
        if plots is not None:
            written = write_trends(weekly(read, period, rt.calendar, promises(rt)), plots)
            console.print(f"{len(written)} weekly trend plots in {plots}")


def moments(rt: Runtime) -> Moments:
    """The renewals', subsidies', ratings' and chases' moments, read once for the table and the trends."""
    from domain.kpi.figures import Moments  # lazy
    from domain.kpi.reads import chase_moments, rating_moments, renewal_moments, subsidy_moments  # lazy

    zone = rt.settings.zone
    with rt.engine.connect() as connection:
        return Moments(
            renewal_moments(connection, zone),
            subsidy_moments(connection, zone),
            rating_moments(connection, zone),
            chase_moments(connection, zone),
        )


def compute(
    rt: Runtime,
    read: Moments,
    period: Period,
    group: str | None,
) -> pd.DataFrame:
    from domain.kpi.figures import Moments, figures  # lazy

    if group == "officer":  # by the township's officer in today's roster; townships nobody serves together
        read = Moments(*(frame.assign(officer=frame["township"].map(rt.roster.label_of)) for frame in read))
    table = figures(read, period, rt.calendar, promises(rt), group)
    labels = {code: kind.label for code, kind in rt.licence_types.items()}
    return table.rename(index=labels) if group == "licence_type" else table


def export(table: pd.DataFrame, format: Format, output: Path) -> None:
    from domain.kpi.figures import FIGURES  # lazy

    labelled = table.rename(columns={key: figure.label for key, figure in FIGURES.items()})
    labelled.index.name = "范围"
    if format is Format.CSV:
        labelled.to_csv(output, encoding="utf-8-sig")
    else:
        labelled.to_excel(output, sheet_name="指标")


def promises(rt: Runtime) -> dict[str, int]:
    return {code: kind.promised_working_days for code, kind in rt.licence_types.items()}


def _period(rt: Runtime, start: str | None, end: str | None, fail: Fail) -> Period:
    from domain.kpi.figures import Period  # lazy

    try:
        last = date.fromisoformat(end) if end else rt.today()
        first = date.fromisoformat(start) if start else last - timedelta(days=29)
    except ValueError as exc:
        raise fail(f"--from / --to: {exc}") from exc
    if first > last:
        raise fail(f"--from {first} is after --to {last}")
    return Period(first, last)


def kpi_table(table: pd.DataFrame, period: Period) -> Table:
    from domain.kpi.figures import FIGURES  # lazy

    shown = Table("指标", *table.index, title=f"本局指标 {period.start} – {period.end}")
    for key, figure in FIGURES.items():
        shown.add_row(figure.label, *(cell(key, value) for value in table[key]))
    return shown


def cell(key: str, value: Any) -> str:  # Any: a pandas cell (a number, NA or None), which pandas does not type
    import pandas as pd  # lazy

    from domain.kpi.figures import SHARES  # lazy

    if value is None or pd.isna(value):
        return "—"
    if key in SHARES:
        return f"{100 * float(value):.1f}%"
    return f"{value:g}" if isinstance(value, float) else f"{int(value):,}"
