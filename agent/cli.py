"""`proactive …`: the operator's commands. Output is readable tables; long work shows progress."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, TaskID, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from agent.cli_cases import register_cases
from agent.cli_chase import register_chase
from agent.cli_console import console_served, register_console
from agent.cli_kpi import register_kpi
from agent.cli_model import register
from agent.cli_notify import register_notify
from agent.cli_output import CsvFlag, JsonFlag, records_text
from agent.cli_policy import register_policy
from agent.cli_ratings import register_ratings
from agent.cli_renewals import register_renewals
from agent.cli_reports import print_load_report, print_scan_report
from agent.cli_simulate import register_simulate
from agent.cli_status import register_status
from agent.cli_subsidy import register_subsidy
from agent.cli_worklist import register_worklist
from agent.demo import run_demo
from agent.jobs import load_source
from agent.logs import LogFormat, configure_logging
from agent.ops_http import ops_served
from agent.runtime import Runtime
from agent.service import LeadershipLost
from agent.service import serve as run_service
from agent.workers import run_worker
from domain.registries.connectors import LINE, ExportUnreadable
from domain.registries.load import STEPS, Step, check_export
from domain.registries.mapping import MappingError, load_mapping, shipped_mappings
from domain.registries.needs import FEATURE_FILE_TABLES, attributes_filled, unmet_needs
from domain.registries.normalise import DETAIL, REASON
from domain.scan.run import run_scan
from ground.calendar import CalendarYearUnknown
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.cases.reads import CaseFilter, CaseRow, count_cases, list_cases
from ground.settings import RegistrySource, SettingsError, load_settings
from ground.store import StoreUnavailable
from ground.store.locks import Held


class Commands(TyperGroup):
    """Every command: a store that cannot be used (missing folder, read-only) ends it with one line, not a
    traceback, whichever command met it first."""

    def invoke(self, ctx: Any) -> Any:  # Any: typer's own (vendored) click Context, which it does not export
        try:
            return super().invoke(ctx)
        except StoreUnavailable as exc:
            raise fail(str(exc)) from exc


app = typer.Typer(cls=Commands, no_args_is_help=True, help="Proactive licence renewal and subsidy service.")
registry_app = typer.Typer(no_args_is_help=True, help="Registry exports: check and load.")
cases_app = typer.Typer(no_args_is_help=True, help="Renewal and subsidy cases.")
app.add_typer(registry_app, name="registry")
app.add_typer(cases_app, name="cases")
# Output read by a program or kept in a file is not cut to a terminal's 80 columns (`us_cit…`): on a terminal the
# tables fit its width; piped or redirected, each row is whole on its line.
console = Console(width=None if sys.stdout.isatty() else 1000)

MappingOption = Annotated[str, typer.Option("--mapping", "-m", help="Shipped mapping name or mapping file path.")]


def runtime() -> Runtime:
    """The settings, or a clear message naming the bad setting and exit code 2."""
    try:
        return Runtime(load_settings())
    except SettingsError as exc:
        console.print(f"[red]Bad setting[/red]\n{exc}")
        raise typer.Exit(2) from exc


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log INFO events too (default: warnings)")] = False,
) -> None:
    try:  # a bad setting is reported by the command that reads the settings; until then, text in the default zone
        settings = load_settings()
        form: LogFormat = settings.ops.log_format
        zone = settings.zone
    except SettingsError:
        form, zone = "text", ZoneInfo("Asia/Shanghai")
    configure_logging(form, zone, logging.INFO if verbose else logging.WARNING)


def fail(message: str) -> typer.Exit:
    # Messages quote paths and TOML with brackets; a long one stays one line, whole, for logs and grep.
    console.print(f"[red]{escape(message)}[/red]", soft_wrap=True)
    return typer.Exit(1)


@registry_app.command("check")
def registry_check(path: Path, mapping: MappingOption) -> None:
    """Validate an export and report what would be quarantined, without loading anything."""
    rt = runtime()
    try:
        loaded = load_mapping(mapping)
        report, normalised = check_export(loaded, rt.licence_types, path)
    except (MappingError, ExportUnreadable) as exc:
        raise fail(str(exc)) from exc
    print_load_report(console, report, stored=False)
    for field, why in unmet_needs(loaded):
        console.print(f"[yellow]not mapped:[/yellow] {field} — needed for {why}")
    table = FEATURE_FILE_TABLES[loaded.target]
    for name, kind, filled in attributes_filled(loaded, normalised.rows):
        console.print(
            f"typed attribute: {name} ({kind}), filled in {filled} of {len(normalised.rows)} valid rows — "
            f"a feature file reads it declared as attributes.{table}.{name}: {kind}"
        )
    quarantined = normalised.quarantined()
    if not quarantined.empty:
        sample = Table("line", "reason", "detail", title="first rejected rows")
        for row in quarantined.head(10).to_dict("records"):
            sample.add_row(str(row[LINE]), str(row[REASON]), str(row[DETAIL]))
        console.print(sample)


@registry_app.command("load")
def registry_load(
    path: Annotated[Path | None, typer.Argument(help="Export file; omit to load every configured source.")] = None,
    mapping: Annotated[
        str | None, typer.Option("--mapping", "-m", help="Shipped mapping name or mapping file path.")
    ] = None,
) -> None:
    """Load an export (or every configured source) into the store."""
    rt = runtime()
    if path is not None and mapping is None:
        raise fail("give the export's --mapping")
    sources = (
        [RegistrySource(name=path.name, mapping=mapping, path=path)] if path and mapping else rt.settings.registries
    )
    if not sources:
        raise fail("give an export PATH with --mapping, or configure sources under [[registries]]")
    with Progress(*Progress.get_default_columns(), TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("loading", total=len(sources) * len(STEPS))
        for source in sources:
            try:
                report = load_source(rt, source, _advance(progress, task, source.name))
            except (MappingError, ExportUnreadable) as exc:
                raise fail(f"{exc}\nNothing was loaded from this export.") from exc
            progress.console.print()
            print_load_report(progress.console, report, stored=True)


def _advance(progress: Progress, task: TaskID, name: str) -> Step:
    def step(label: str) -> None:
        progress.update(task, advance=1, description=f"{name}: {label}")

    return step


@registry_app.command("mappings")
def registry_mappings() -> None:
    """List the shipped column mappings."""
    for name in shipped_mappings():
        console.print(f"{name}: {load_mapping(name).description}")


@app.command()
def scan(as_of: Annotated[str | None, typer.Option(help="Scan date, YYYY-MM-DD (default: today)")] = None) -> None:
    """Find licences entering their renewal window and open one case per licence expiry."""
    rt = runtime()
    day = date.fromisoformat(as_of) if as_of else rt.today()
    settings = rt.settings.scan
    try:
        report = run_scan(
            rt.engine,
            rt.licence_types,
            rt.calendar,
            day,
            rt.now(),
            settings.lead_working_days,
            settings.lapsed_grace_days,
        )
    except CalendarYearUnknown as exc:
        raise fail(str(exc)) from exc
    print_scan_report(console, report)


@cases_app.command("list")
def cases_list(
    state: Annotated[State | None, typer.Option(help="only cases in this state")] = None,
    route: Annotated[Route | None, typer.Option(help="only renewals routed this way")] = None,
    licence_type: Annotated[str | None, typer.Option("--type", help="only renewals of this licence type")] = None,
    closes_before: Annotated[str | None, typer.Option(help="window closes before YYYY-MM-DD")] = None,
    warned: Annotated[bool, typer.Option(help="only cases with a calendar warning")] = False,
    kind: Annotated[Kind | None, typer.Option(help="only renewals or only subsidies (default: both)")] = None,
    policy: Annotated[str | None, typer.Option(help="subsidy cases of this policy id")] = None,
    count: Annotated[bool, typer.Option("--count", help="print only the number of matching cases")] = False,
    limit: Annotated[int, typer.Option(help="at most this many cases")] = 50,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List cases of every kind, or of one (--kind): renewals most urgent (earliest window close) first, subsidies
    oldest first."""
    rt = runtime()
    kind = Kind.SUBSIDY if policy else kind
    which = CaseFilter(
        kind=kind,
        policy_id=policy,
        state=state,
        route=route,
        licence_type=licence_type,
        closes_before=date.fromisoformat(closes_before) if closes_before else None,
        warned=warned,
    )
    with rt.engine.connect() as connection:
        if count:
            console.print(count_cases(connection, which))
            return
        rows = list_cases(connection, which, limit)
    if as_json or as_csv:
        typer.echo(records_text([asdict(row) for row in rows], as_json), nl=False)
        return
    renewals = [row for row in rows if row.kind == Kind.RENEWAL]
    subsidies = [row for row in rows if row.kind == Kind.SUBSIDY]
    # one table per kind asked for; of both kinds, the tables that have rows (an empty renewal table if none has)
    if kind is Kind.RENEWAL or (kind is None and (renewals or not subsidies)):
        console.print(renewal_table(renewals))
    if kind is Kind.SUBSIDY or (kind is None and subsidies):
        console.print(subsidy_table(subsidies, rt.settings.zone))


def renewal_table(rows: Sequence[CaseRow]) -> Table:
    table = Table("id", "licence", "type", "state", "route", "score", "expires", "window", "warning / parked because")
    for row in rows:
        notes = ("calendar assumed" * bool(row.calendar_warning), row.parked_reason)
        table.add_row(
            str(row.id),
            row.licence_no,
            row.licence_type,
            row.state,
            row.route or "",
            "" if row.score is None else f"{row.score:.3f}",
            str(row.expires_on),
            f"{row.window_opens_on} – {row.window_closes_on}",
            escape("; ".join(note for note in notes if note)),
        )
    return table


def subsidy_table(rows: Sequence[CaseRow], zone: ZoneInfo) -> Table:
    columns = ("id", "subject", "policy", "period", "yuan", "state", "application", "paid", "voucher / parked because")
    table = Table(*columns)
    for row in rows:
        table.add_row(
            str(row.id),
            row.subject_key,
            row.policy_id,
            row.period,
            f"{row.amount_yuan:,}",
            row.state,
            row.application_no or "",
            "" if row.paid_at is None else f"{row.paid_at.astimezone(zone):%Y-%m-%d}",
            escape(row.payment_ref or row.parked_reason or ""),
        )
    return table


@app.command()
def serve() -> None:
    """Run the scheduled service (registry load + scan on the configured cron) until SIGTERM."""
    logging.getLogger().setLevel(logging.INFO)
    try:
        rt = runtime()
        with console_served(rt) as url, ops_served(rt) as ops_url:
            if url is not None:
                logging.getLogger(__name__).info("console on %s", url)
            if ops_url is not None:
                logging.getLogger(__name__).info("health and metrics on %s/healthz and %s/metrics", ops_url, ops_url)
            run_service(rt)
    except Held as exc:
        raise fail(f"{exc}: refusing to start a second scheduler on the same job store") from exc
    except LeadershipLost as exc:
        raise fail(f"{exc}; start it again to stand by") from exc


@app.command()
def worker() -> None:
    """Run a worker for the service's queued jobs (bot rounds, SMS, letters) until SIGTERM."""
    logging.getLogger().setLevel(logging.INFO)
    settings = runtime().settings.workers
    if settings.broker_url is None:
        raise fail("a worker needs the broker: set PROACTIVE_WORKERS__BROKER_URL (or its _FILE)")
    run_worker(settings)


@app.command()
def demo(
    licences: Annotated[int, typer.Option(help="Licences in the generated county")] = 5000,
    seed: Annotated[int, typer.Option(help="Seed of the generated county (the same seed, the same county)")] = 7,
) -> None:
    """Generate a county, load it, scan it and print a summary (SQLite under var/ by default)."""
    run_demo(runtime(), console, licences, seed)


register(app, cases_app, runtime, console, fail)
register_cases(cases_app, runtime, console, fail)
register_chase(cases_app, runtime, console, fail)
register_renewals(cases_app, runtime, console, fail)
register_kpi(app, runtime, console, fail)
register_notify(app, runtime, console, fail)
register_policy(app, runtime, console, fail)
register_subsidy(app, runtime, console, fail)
register_ratings(app, runtime, console, fail)
register_worklist(app, runtime, console, fail)
register_status(app, runtime, console)
register_console(app, runtime, console, fail)
register_simulate(app, runtime, console, fail)

if __name__ == "__main__":  # `python -m agent.cli`: how the demo starts the console in a process of its own
    app()
