"""`proactive console`: the staff console in the foreground, and its accounts (`proactive console add-user`).
`proactive serve` also serves it when PROACTIVE_CONSOLE__PORT is set."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from agent.cli_types import Fail, GetRuntime
from domain.access.roles import Role

if TYPE_CHECKING:
    from agent.runtime import Runtime

READY = "console listening on "


@contextmanager
def console_served(rt: Runtime) -> Iterator[str | None]:
    """The console beside the service, for as long as it runs, if a port is configured; its address."""
    from agent.console.app import build_console  # lazy
    from ground.http_serving import serving  # lazy

    settings = rt.settings.console
    if settings.port is None:
        yield None
        return
    with serving(build_console(rt), settings.host, settings.port, name="console", lifespan="off") as url:
        yield url


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    console_app = typer.Typer(help="The staff console: serve it, add accounts.")
    app.add_typer(console_app, name="console")

    @console_app.callback(invoke_without_command=True)
    def serve_console(
        ctx: typer.Context,
        host: Annotated[str | None, typer.Option(help="listen here (default PROACTIVE_CONSOLE__HOST)")] = None,
        port: Annotated[int | None, typer.Option(help="and here (default PROACTIVE_CONSOLE__PORT, else 8080)")] = None,
    ) -> None:
        """Serve the console in the foreground until SIGTERM or Ctrl-C."""
        if ctx.invoked_subcommand is not None:
            return
        from agent.console.app import build_console  # lazy
        from ground.http_serving import serve_forever  # lazy

        rt = runtime()
        settings = rt.settings.console
        serve_forever(build_console(rt), host or settings.host, port or settings.port or 8080, READY, lifespan="off")

    @console_app.command("add-user")
    def add_user(
        username: Annotated[str, typer.Argument(help="the sign-in name")],
        role: Annotated[Role, typer.Option(help="what the account may do")],
        name: Annotated[str, typer.Option("--name", help="the person's name, as pages show it")],
        officer: Annotated[str | None, typer.Option(help="an officer's roster id (role officer only)")] = None,
        password: Annotated[
            str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="asked for when not given")
        ] = "",
    ) -> None:
        """Add a staff account. The password is asked for (or read from --password for scripts) and stored hashed."""
        from domain.access.accounts import AccountRefused, create_account  # lazy
        from domain.assistance.roster import UnknownOfficer  # lazy

        rt = runtime()
        try:
            if officer is not None:
                rt.roster.officer(officer)
            with rt.engine.begin() as connection:
                create_account(connection, username, name, role, password, rt.now(), officer)
        except (AccountRefused, UnknownOfficer) as exc:
            raise fail(str(exc)) from exc
        console.print(f"account {username} ({role.value}) added")
