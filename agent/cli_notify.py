"""`proactive notify …`: preview the templates, send what is due, print the letters, manage opt-outs."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli_output import CsvFlag, JsonFlag, records_text
from agent.cli_types import Fail, GetRuntime
from ground.events import TITLES

if TYPE_CHECKING:
    from agent.runtime import Runtime


def print_preview(rt: Runtime, console: Console) -> int:
    """Every SMS template rendered with sample values, with its cost; returns how many failed their rules."""
    from notifications.events import sample_context  # lazy
    from notifications.sms_text import SmsRuleError  # lazy

    failures = 0
    for event, template in rt.notifier.templates.items():
        context = {**sample_context(event), "bureau": rt.settings.notify.bureau.model_dump()}
        heading = f"[bold]{event.value}[/bold] {TITLES[event]} · carrier template {template.carrier_id or '—'}"
        try:
            sms = template.render(context)
        except (SmsRuleError, LookupError) as exc:
            failures += 1
            console.print(f"{heading}\n  [red]{escape(str(exc))}[/red]\n")
            continue
        cost = f"{sms.cost.units} chars ({sms.cost.encoding}), {sms.cost.segments} segment(s)"
        console.print(f"{heading} · {cost}\n  {escape(sms.body)}\n", soft_wrap=True)
    return failures


def print_outbox(rt: Runtime, console: Console, title: str = "Notices in the outbox") -> None:
    from notifications.reads import outbox_counts  # lazy

    with rt.engine.connect() as connection:
        counts = outbox_counts(connection)
    table = Table("notice", "channel", "status", "count", title=title)
    for count in counts:
        table.add_row(f"{TITLES[count.event]} ({count.event})", count.channel, count.status, str(count.notices))
    console.print(table)


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    notify_app = typer.Typer(no_args_is_help=True, help="Notices to holders: SMS and letters.")

    @notify_app.command("preview")
    def preview() -> None:
        """Show every SMS template rendered with sample values, with its segment count."""
        if print_preview(runtime(), console):
            raise typer.Exit(1)

    @notify_app.command("send")
    def send(limit: Annotated[int | None, typer.Option(help="send at most this many SMS")] = None) -> None:
        """Record the notices that are due and send the SMS that are due now (within sending hours)."""
        from agent.jobs import notify_round  # lazy

        rt = runtime()
        run = notify_round(rt, limit)
        for step, counts in run.counts.items():
            console.print(f"{step}: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing to do"))
        for warning in run.warnings:
            console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
        print_outbox(rt, console)

    @notify_app.command("list")
    def list_outbox(as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
        """Notices by event, channel and status."""
        from notifications.reads import outbox_counts  # lazy

        rt = runtime()
        if not (as_json or as_csv):
            print_outbox(rt, console)
            return
        with rt.engine.connect() as connection:
            counts = [asdict(count) for count in outbox_counts(connection)]
        typer.echo(records_text(counts, as_json), nl=False)

    @notify_app.command("opt-out")
    def opt_out(
        number: str,
        remove: Annotated[bool, typer.Option(help="the holder asked for SMS again")] = False,
        note: Annotated[str, typer.Option(help="why, for the ledger")] = "operator entry",
    ) -> None:
        """Stop (or, with --remove, resume) SMS to a mobile; its notices go by letter meanwhile."""
        from notifications.outbox import add_opt_out, remove_opt_out  # lazy
        from notifications.recipients import mobile  # lazy

        rt = runtime()
        parsed = mobile(number)
        if parsed is None:
            raise fail(f"{number} is not a Chinese mobile number")
        if remove:
            resumed = remove_opt_out(rt.engine, parsed)
            console.print(f"{parsed}: SMS resumed" if resumed else f"{parsed} had not opted out")
            return
        added = add_opt_out(rt.engine, parsed, "operator", note, rt.now())
        console.print(f"{parsed}: opted out" if added else f"{parsed} had already opted out")

    _register_letters(notify_app, runtime, console, fail)
    app.add_typer(notify_app, name="notify")


def _register_letters(notify_app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    """Attach `notify letters` and `notify verify`."""

    @notify_app.command("letters")
    def letters() -> None:
        """Print the letters waiting in the outbox into today's batch: one PDF and a mailing manifest."""
        from agent.jobs import letters_round  # lazy

        rt = runtime()
        run = letters_round(rt)
        for step, counts in run.counts.items():
            console.print(f"{step}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        for warning in run.warnings:
            console.print(f"[yellow]warning:[/yellow] {escape(warning)}")

    @notify_app.command("verify")
    def verify(code: str) -> None:
        """Check a letter's verification code (printed under its QR code): what it is, to whom, and when."""
        from notifications.letter_run import letter_id  # lazy
        from notifications.reads import letter_by_code  # lazy

        rt = runtime()
        with rt.engine.connect() as connection:
            letter = letter_by_code(connection, code)
        if letter is None:
            raise fail(f"no letter has the verification code {code}: it was not issued by this bureau's system")
        console.print(f"genuine letter {letter_id(letter.id)}: {TITLES[letter.event]} to {escape(letter.addressee)}")
        printed = (
            "—" if letter.printed_at is None else f"{letter.printed_at.astimezone(rt.settings.zone):%Y-%m-%d %H:%M}"
        )
        console.print(f"status {letter.status}, printed {printed}, batch {letter.batch or '—'}")
