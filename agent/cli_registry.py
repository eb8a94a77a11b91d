"""`proactive registry …`: check a registry export, load exports into the store, list the shipped mappings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID, TimeElapsedColumn
from rich.table import Table

from agent.cli_types import Fail, GetRuntime

if TYPE_CHECKING:
    from domain.registries.load import Step

MappingOption = Annotated[str, typer.Option("--mapping", "-m", help="Shipped mapping name or mapping file path.")]


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    registry_app = typer.Typer(no_args_is_help=True, help="Registry exports: check and load.")
    app.add_typer(registry_app, name="registry")

    @registry_app.command("check")
    def registry_check(path: Path, mapping: MappingOption) -> None:
        """Validate an export and report what would be quarantined, without loading anything."""
        from agent.cli_reports import print_load_report  # lazy
        from domain.registries.connectors import LINE, ExportUnreadable  # lazy
        from domain.registries.load import check_export  # lazy
        from domain.registries.mapping import MappingError, load_mapping  # lazy
        from domain.registries.needs import FEATURE_FILE_TABLES, attributes_filled, unmet_needs  # lazy
        from domain.registries.normalise import DETAIL, REASON  # lazy

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

    _register_load(registry_app, runtime, console, fail)


def _register_load(registry_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    """Attach `registry load` and `registry mappings`."""

    @registry_app.command("load")
    def registry_load(
        path: Annotated[Path | None, typer.Argument(help="Export file; omit to load every configured source.")] = None,
        mapping: Annotated[
            str | None, typer.Option("--mapping", "-m", help="Shipped mapping name or mapping file path.")
        ] = None,
    ) -> None:
        """Load an export (or every configured source) into the store."""
        from agent.cli_reports import print_load_report  # lazy
        from agent.jobs import load_source  # lazy
        from domain.registries.connectors import ExportUnreadable  # lazy
        from domain.registries.load import STEPS  # lazy
        from domain.registries.mapping import MappingError  # lazy
        from ground.settings import RegistrySource  # lazy

        rt = runtime()
        if path is not None and mapping is None:
            raise fail("give the export's --mapping")
        sources = (
            [RegistrySource(name=path.name, mapping=mapping, path=path)] if path and mapping else rt.settings.registries
        )
        if not sources:
            raise fail("give an export PATH with --mapping, or configure sources under [[registries]]")
        with Progress(
            *Progress.get_default_columns(), TimeElapsedColumn(), console=console, transient=True
        ) as progress:
            task = progress.add_task("loading", total=len(sources) * len(STEPS))
            for source in sources:
                try:
                    report = load_source(rt, source, _advance(progress, task, source.name))
                except (MappingError, ExportUnreadable) as exc:
                    raise fail(f"{exc}\nNothing was loaded from this export.") from exc
                progress.console.print()
                print_load_report(progress.console, report, stored=True)

    @registry_app.command("mappings")
    def registry_mappings() -> None:
        """List the shipped column mappings."""
        from domain.registries.mapping import load_mapping, shipped_mappings  # lazy

        for name in shipped_mappings():
            console.print(f"{name}: {load_mapping(name).description}")


def _advance(progress: Progress, task: TaskID, name: str) -> Step:
    def step(label: str) -> None:
        progress.update(task, advance=1, description=f"{name}: {label}")

    return step
