"""`proactive …`: the operator's commands. Output is readable tables; long work shows progress.

`proactive COMMAND --help` answers in a moment: the root knows its commands from COMMANDS (a name, the module that
registers it, its line in `proactive --help`) and loads only the module of the command asked for. A command module
imports at its top only what defines its options; what a command runs (and the pandas, scikit-learn or Playwright
under it) is imported in the command's body, marked `# lazy` (the rule in tests/test_code_rules.py)."""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from agent.logs import configure_logging

if TYPE_CHECKING:
    from agent.runtime import Runtime


@dataclass(frozen=True)
class Entry:
    name: str
    module: str  # its `register(app, runtime, console, fail)` attaches the command (and maybe others) to `app`
    help: str  # the command's line in `proactive --help`; a test keeps it equal to the command's own


COMMANDS = (
    Entry(
        "scan",
        "agent.cli_service",
        "Find licences entering their renewal window and open one case per licence expiry.",
    ),
    Entry(
        "serve",
        "agent.cli_service",
        "Run the scheduled service (registry load + scan on the configured cron) until SIGTERM.",
    ),
    Entry(
        "worker",
        "agent.cli_service",
        "Run a worker for the service's queued jobs (bot rounds, SMS, letters) until SIGTERM.",
    ),
    Entry(
        "demo",
        "agent.cli_service",
        "Generate a county, load it, scan it and print a summary (SQLite under var/ by default).",
    ),
    Entry(
        "kpi",
        "agent.cli_kpi",
        "The bureau's figures for a period; each figure's definition is in the README (proactive kpi --help).",
    ),
    Entry(
        "worklist",
        "agent.cli_worklist",
        "The renewals each service officer helps with (assisted, or returned by the approver), assigned by...",
    ),
    Entry(
        "status",
        "agent.cli_status",
        "The service's health from its job runs: each scheduled job's last run (when, how long), its...",
    ),
    Entry(
        "simulate",
        "agent.cli_simulate",
        "Simulate the county's year through the real jobs (stand-ins named); exit 1 if a target is missed.",
    ),
    Entry("registry", "agent.cli_registry", "Registry exports: check and load."),
    Entry("cases", "agent.cli_cases", "Renewal and subsidy cases."),
    Entry("bots", "agent.cli_bots", "The platform bots: a round by hand, and the tools for a site profile."),
    Entry("model", "agent.cli_model", "The renewal classifier: train, inspect."),
    Entry("notify", "agent.cli_notify", "Notices to holders: SMS and letters."),
    Entry("policy", "agent.cli_policy", "Subsidy policies (免申即享): list, test, preview, match."),
    Entry("subsidy", "agent.cli_subsidy", "Subsidy cases: payments recorded from the treasury."),
    Entry("ratings", "agent.cli_ratings", "好差评: poor ratings' follow-ups, and the ratings export."),
    Entry("worklog", "agent.cli_worklist", "The service officers' work log (台账)."),
    Entry("console", "agent.cli_console", "The staff console: serve it, add accounts."),
)
BY_NAME = {entry.name: entry for entry in COMMANDS}


class Commands(TyperGroup):
    """The commands of COMMANDS, each loaded from its module when asked for. Every command: a store that cannot be
    used (missing folder, read-only) ends it with one line, not a traceback, whichever command met it first."""

    def list_commands(self, ctx: Any) -> list[str]:  # Any: typer's own (vendored) click Context, not exported
        return list(BY_NAME)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:  # Any: a command of typer's vendored click
        entry = BY_NAME.get(cmd_name)
        return None if entry is None else load(entry)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """`proactive --help`: each command by its line in COMMANDS, no command module loaded."""
        listed = [TyperCommand(entry.name, short_help=entry.help) for entry in COMMANDS]
        index = TyperGroup(name=self.name, help=self.help, params=self.params, commands=listed)
        index.format_help(ctx, formatter)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:  # `--help` ends here too (click's Exit): it must not load the store to look
            store = sys.modules.get("ground.store.db")  # not loaded: no store was opened, so none failed
            if store is not None and isinstance(exc, store.StoreUnavailable):
                raise fail(str(exc)) from exc
            raise


def load(entry: Entry) -> Any:  # Any: a command of typer's vendored click, which typer does not export
    """The entry's command, from its module's `register` on an app of its own (given a callback, typer makes that
    app a group even when the module registers one command)."""
    own = typer.Typer()
    own.callback()(_nothing)
    importlib.import_module(entry.module).register(own, runtime, console, fail)
    group = typer.main.get_command(own)
    assert isinstance(group, TyperGroup)
    return group.commands[entry.name]


def _nothing() -> None:
    pass


app = typer.Typer(cls=Commands, no_args_is_help=True, help="Proactive licence renewal and subsidy service.")
# Output read by a program or kept in a file is not cut to a terminal's 80 columns (`us_cit…`): on a terminal the
# tables fit its width; piped or redirected, each row is whole on its line.
console = Console(width=None if sys.stdout.isatty() else 1000)


def runtime() -> Runtime:
    """The settings, or a clear message naming the bad setting and exit code 2."""
    from agent.runtime import Runtime  # lazy
    from ground.settings import SettingsError, load_settings  # lazy

    try:
        settings = load_settings()
    except SettingsError as exc:
        console.print(f"[red]Bad setting[/red]\n{exc}")
        raise typer.Exit(2) from exc
    configure_logging(settings.ops.log_format, settings.zone, logging.getLogger().level)  # the level: as set so far
    return Runtime(settings)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log INFO events too (default: warnings)")] = False,
) -> None:
    # Text in the default zone until the command reads the settings (`runtime()` then logs as they say): reading them
    # here would cost every `--help` the settings' libraries, and a bad setting is the command's to report.
    configure_logging("text", ZoneInfo("Asia/Shanghai"), logging.INFO if verbose else logging.WARNING)


def fail(message: str) -> typer.Exit:
    # Messages quote paths and TOML with brackets; a long one stays one line, whole, for logs and grep.
    console.print(f"[red]{escape(message)}[/red]", soft_wrap=True)
    return typer.Exit(1)


if __name__ == "__main__":  # `python -m agent.cli`: how the demo starts the console in a process of its own
    app()
