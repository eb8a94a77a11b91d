"""The demo's platform round: the sandbox platform in its own process, the bots pre-filling the seamless renewals
and subsidy matches, a scripted STAND-IN playing the approvers, the bots reading the decisions back, and a STAND-IN
treasury paying the approved subsidies."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from agent.cli_subsidy import print_outcomes
from agent.jobs import JobRun, bot_round
from agent.runtime import Runtime
from domain.subsidies.pay import awaiting_payment, import_payments
from ground.cases.kinds import Kind
from ground.cases.reads import case_counts
from ground.settings import Settings
from sandbox.platform.process import platform_process
from sandbox.scripted_approver import decide_all
from sandbox.treasury import payment_file

# The sandbox platform's seeded accounts (sandbox/platform/README.md); a real platform's come from settings.
SANDBOX_BOT = ("agent", "agent-pass")
SANDBOX_APPROVER = ("approver", "approver-pass")
DEMO_ROUND = 40  # the most urgent seamless cases; the service files the rest in later rounds within platform hours
DEMO_SUBSIDIES = 20  # and the oldest subsidy matches


def platform_round(rt: Runtime, console: Console, after_prefill: Callable[[], None] = lambda: None) -> None:
    """`after_prefill` runs between the bot's filing and the approver's decisions (the demo sends the
    无感续证已启动 SMS there, as the service's dispatch job would within minutes)."""
    database = rt.settings.var_dir / "demo" / "platform.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    with platform_process(database) as url:
        console.print(f"[bold]Sandbox approval platform[/bold] at {url} (approver pages: {url}/approver/login)")
        bots = Runtime(_with_platform(rt, url))
        with console.status(f"the bot pre-fills the {DEMO_ROUND} most urgent seamless renewals on the platform"):
            filed = bot_round(bots, ignore_hours=True, steps=("prefill",), limit=DEMO_ROUND, kinds=(Kind.RENEWAL,))
        with console.status(f"the bot pre-fills {DEMO_SUBSIDIES} subsidy matches for the departments' approvers"):
            granted = bot_round(
                bots, ignore_hours=True, steps=("prefill",), limit=DEMO_SUBSIDIES, kinds=(Kind.SUBSIDY,)
            )
        after_prefill()
        with console.status("STAND-IN approver deciding the queue (a script, not a person)"):
            decisions = decide_all(url, *SANDBOX_APPROVER)
        with console.status("the bot reads the approvers' decisions back"):
            synced = bot_round(bots, ignore_hours=True, steps=("status_sync",))
    _print_round(console, {"pre-fill renewals": filed, "pre-fill subsidies": granted, "status sync": synced})
    _print_decisions(console, len(decisions.approved), decisions.returned)
    _print_states(rt, console)


def _with_platform(rt: Runtime, url: str) -> Settings:
    platform = rt.settings.platform.model_copy(
        update={"base_url": url, "username": SANDBOX_BOT[0], "password": SecretStr(SANDBOX_BOT[1]), "concurrency": 2}
    )
    return rt.settings.model_copy(update={"platform": platform})


def _print_round(console: Console, runs: dict[str, JobRun | None]) -> None:
    table = Table("step", "outcome", title="On the approval platform")
    for name, run in runs.items():
        for part, counts in (run.counts if run else {}).items():
            table.add_row(f"{name}: {part}", ", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing to do")
    console.print(table)
    for run in runs.values():
        for warning in run.warnings if run else []:
            console.print(f"[yellow]warning:[/yellow] {warning}")


def _print_decisions(console: Console, approved: int, returned: dict[str, str]) -> None:
    table = Table("STAND-IN approver", "", title="Decisions on the platform")
    table.add_row("confirmed", str(approved))
    table.add_row("returned", str(len(returned)))
    for number, reason in list(returned.items())[:4]:
        table.add_row(f"  returned {number}", reason)
    console.print(table)


def _print_states(rt: Runtime, console: Console) -> None:
    with rt.engine.connect() as connection:
        counts = case_counts(connection)
    table = Table("kind", "state", "route", "cases", title="Cases after the platform round")
    for count in counts:
        table.add_row(count.kind, count.state, count.route or "", str(count.cases))
    console.print(table)


def treasury_round(rt: Runtime, console: Console) -> None:
    """The STAND-IN treasury pays every approved subsidy and sends its payment file; the bureau imports it."""
    with rt.engine.connect() as connection:
        approved = awaiting_payment(connection)
    if not approved:
        return
    day = rt.today()
    path = rt.settings.var_dir / "demo" / f"treasury-payments-{day:%Y%m%d}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payment_file(approved, day))
    console.print(f"STAND-IN treasury paid {len(approved)} approved subsidies: payment file {path}")
    allowed = rt.settings.policies.allow_placeholder_references
    outcomes = import_payments(rt.engine, path, rt.settings.zone, rt.now(), allow_placeholders=allowed)
    print_outcomes(console, outcomes, "proactive subsidy pay")
