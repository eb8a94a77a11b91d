"""The demo's platform round: the sandbox platform in its own process, the bots pre-filling the seamless cases,
a scripted STAND-IN playing the approver, and the bots reading the decisions back."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import SecretStr
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from agent.jobs import JobRun, bot_round
from agent.runtime import Runtime
from agent.settings import Settings
from agent.store.tables import cases
from sandbox.platform.process import platform_process
from sandbox.scripted_approver import decide_all

# The sandbox platform's seeded accounts (sandbox/platform/README.md); a real platform's come from settings.
SANDBOX_BOT = ("agent", "agent-pass")
SANDBOX_APPROVER = ("approver", "approver-pass")
DEMO_ROUND = 40  # the most urgent seamless cases; the service files the rest in later rounds within platform hours


def platform_round(rt: Runtime, console: Console, after_prefill: Callable[[], None] = lambda: None) -> None:
    """`after_prefill` runs between the bot's filing and the approver's decisions (the demo sends the
    无感续证已启动 SMS there, as the service's dispatch job would within minutes)."""
    database = rt.settings.var_dir / "demo" / "platform.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    with platform_process(database) as url:
        console.print(f"[bold]Sandbox approval platform[/bold] at {url} (approver pages: {url}/approver/login)")
        bots = Runtime(_with_platform(rt, url))
        with console.status(f"the bot pre-fills the {DEMO_ROUND} most urgent seamless cases on the platform"):
            filed = bot_round(bots, ignore_hours=True, steps=("prefill",), limit=DEMO_ROUND)
        after_prefill()
        with console.status("STAND-IN approver deciding the queue (a script, not a person)"):
            decisions = decide_all(url, *SANDBOX_APPROVER)
        with console.status("the bot reads the approvers' decisions back"):
            synced = bot_round(bots, ignore_hours=True, steps=("status_sync",))
    _print_round(console, filed, synced, len(decisions.approved), decisions.returned)
    _print_states(rt, console)


def _with_platform(rt: Runtime, url: str) -> Settings:
    platform = rt.settings.platform.model_copy(
        update={"base_url": url, "username": SANDBOX_BOT[0], "password": SecretStr(SANDBOX_BOT[1]), "concurrency": 2}
    )
    return rt.settings.model_copy(update={"platform": platform})


def _print_round(
    console: Console, filed: JobRun | None, synced: JobRun | None, approved: int, returned: dict[str, str]
) -> None:
    table = Table("step", "outcome", title="On the approval platform")
    for name, run in (("pre-fill", filed), ("status sync", synced)):
        for part, counts in (run.counts if run else {}).items():
            table.add_row(f"{name}: {part}", ", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing to do")
    table.add_row("STAND-IN approver", f"confirmed {approved}, returned {len(returned)}")
    for number, reason in list(returned.items())[:3]:
        table.add_row(f"  returned {number}", reason)
    console.print(table)
    for run in (filed, synced):
        for warning in run.warnings if run else []:
            console.print(f"[yellow]warning:[/yellow] {warning}")


def _print_states(rt: Runtime, console: Console) -> None:
    with rt.engine.connect() as connection:
        rows = connection.execute(
            select(cases.c.state, cases.c.route, func.count()).group_by(cases.c.state, cases.c.route)
        ).all()
    table = Table("state", "route", "cases", title="Renewal cases after the platform round")
    for state, route, count in sorted(rows, key=lambda r: (r[0], r[1] or "")):
        table.add_row(state, route or "", str(count))
    console.print(table)
