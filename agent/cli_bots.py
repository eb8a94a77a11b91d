"""`proactive bots …`: a bot round by hand, and the operator's tools for a site profile — `probe` (every step of a
profile tried on a platform with a synthetic case, nothing submitted), `misfit` (what stopped the bots, if a profile
did not fit) and `clear-misfit` (the bots may go back once the profile is fixed)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import SecretStr
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_types import Fail, GetRuntime

if TYPE_CHECKING:
    from bots.probe import Row
    from bots.session import Platform


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    bots_app = typer.Typer(help="The platform bots: a round by hand, and the tools for a site profile.")

    @bots_app.callback(invoke_without_command=True)
    def bots(
        ctx: typer.Context,
        url: Annotated[str | None, typer.Option(help="the platform's base URL (default: the configured one)")] = None,
        any_time: Annotated[bool, typer.Option(help="run outside the configured platform hours")] = False,
    ) -> None:
        """Pre-fill the seamless cases on the approval platform, then read the approvers' decisions back."""
        if ctx.invoked_subcommand is not None:
            return
        from agent.jobs import bot_round  # lazy
        from ground.store.locks import Held  # lazy

        rt = runtime()
        try:
            run = bot_round(rt, base_url=url, ignore_hours=any_time)
        except Held as exc:
            raise fail(f"{exc}: try again when it has finished") from exc
        if run is None:
            raise fail("no platform configured (PROACTIVE_PLATFORM__BASE_URL), or outside its hours (--any-time)")
        for step, counts in run.counts.items():
            console.print(f"{step}: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing to do"))
        for warning in run.warnings:
            console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
        if run.failure is not None:  # recorded as a failed run: a script sees it in the exit code
            raise fail(f"failed: {run.failure}")

    def configured(url: str | None) -> Platform:
        from bots.config import platform_from  # lazy

        rt = runtime()
        platform = platform_from(rt.settings.platform, rt.settings.var_dir, url)
        if platform is None:
            raise fail("no platform configured (PROACTIVE_PLATFORM__BASE_URL): give --url")
        return platform

    @bots_app.command("misfit")
    def show_misfit(url: Annotated[str | None, typer.Option(help="the platform's base URL")] = None) -> None:
        """What stopped the bots: the step, the selector and the screenshot where the profile did not fit."""
        from bots import misfits  # lazy

        kept = misfits.current(configured(url))
        if kept is None:
            console.print("no misfit kept: the bots go to the platform")
            return
        console.print(f"[red]{escape(misfits.why(kept))}[/red]")
        for key in ("bot", "case_id", "error"):
            console.print(f"{key}: {escape(str(kept[key]))}")
        for key, value in (kept.get("evidence") or {}).items():
            console.print(f"evidence {key}: {escape(str(value))}")

    @bots_app.command("clear-misfit")
    def clear_misfit(url: Annotated[str | None, typer.Option(help="the platform's base URL")] = None) -> None:
        """The profile is fixed (try it with `proactive bots probe`): the bots may go to the platform again."""
        from bots import misfits  # lazy

        kept = misfits.clear(configured(url))
        console.print("cleared: the next round goes to the platform" if kept else "no misfit was kept")

    _register_probe(bots_app, runtime, console, fail)
    app.add_typer(bots_app, name="bots")


def _register_probe(bots_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    """Attach `bots probe`."""

    @bots_app.command("probe")
    def run_probe(
        profile: Annotated[str, typer.Option(help="a shipped profile's name or a profile file")],
        url: Annotated[str, typer.Option(help="the platform's base URL")],
        out: Annotated[Path | None, typer.Option(help="where the screenshots go (default: a new folder)")] = None,
    ) -> None:
        """Walk login, search and each page of each matter with a synthetic case, without submitting: a table of
        every step (found / filled / read back) with screenshots."""
        from bots.probe import probe  # lazy
        from bots.profile import load_profile  # lazy
        from bots.session import Platform  # lazy
        from ground.yaml_files import YamlFileError  # lazy

        rt = runtime()
        try:
            loaded = load_profile(profile)
        except YamlFileError as exc:
            raise fail(str(exc)) from exc
        folder = out or Path(tempfile.mkdtemp(prefix="probe-"))
        settings = rt.settings.platform
        platform = Platform(
            base_url=url,
            profile=loaded,
            username=settings.username,
            password=settings.password or SecretStr(""),
            state_file=folder / "session.json",  # its own: the bots' saved session is not touched
            trace_dir=folder,
            timeout_ms=settings.timeout_ms,
        )
        rows = probe(platform, rt.today())
        console.print(probe_table(rows))
        console.print(f"screenshots in {folder}")
        if any(not row.found or row.filled is False for row in rows):
            raise typer.Exit(1)


def probe_table(rows: list[Row]) -> Table:
    table = Table("step", "field / part", "found", "filled", "read back", "note", "screenshot")
    marks = {True: "[green]yes[/green]", False: "[red]NO[/red]", None: ""}
    for row in rows:
        table.add_row(
            escape(row.step),
            escape(row.what),
            marks[row.found],
            marks[row.filled],
            escape(row.read_back),
            escape(row.note),
            escape(Path(row.screenshot).name if row.screenshot else ""),
        )
    return table
