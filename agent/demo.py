"""`proactive demo`: the main job end to end on the embedded default — a generated county, loaded, scanned, its
new cases routed by a classifier trained on the county's own renewal history, and its subjects matched against the
subsidy policies."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pandas as pd
from rich.console import Console
from rich.table import Table

from agent.cli_model import route_cases, train_model
from agent.cli_policy import print_match_report
from agent.cli_reports import print_load_report, print_scan_report
from agent.demo_console import leave_console_running
from agent.demo_holders import holders_reply
from agent.demo_notify import notify_round_demo, send_due, sms_sandbox
from agent.demo_outcome import print_renewal_outcome
from agent.demo_platform import platform_round, treasury_round
from agent.jobs import match_round
from agent.runtime import Runtime
from domain.policies.loading import load_policies
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from domain.registries.reads import licence_counts, quarantine_counts, valid_expiries
from domain.scan.run import run_scan
from ground.cases.reads import case_counts
from sandbox.registry import generate_county

COUNTY_FILES = (
    ("county_subjects", "subjects.csv"),
    ("county_licences", "licences.csv"),
    ("county_events", "events.csv"),
)


def run_demo(rt: Runtime, console: Console, licence_count: int, seed: int) -> None:
    policies = rt.settings.policies.model_copy(update={"allow_placeholder_references": True})
    rt = Runtime(rt.settings.model_copy(update={"policies": policies}))
    console.print("A demo county: its subsidies are filed and paid on the shipped policies' placeholder references.")
    today = rt.today()
    county_dir = rt.settings.var_dir / "demo" / f"county-{licence_count}-{seed}-{today:%Y%m%d}"
    if not (county_dir / "events.csv").exists():
        with console.status(f"generating a county with {licence_count} licences"):
            generate_county(county_dir, licence_count, seed=seed, as_of=today)
    console.print(f"[bold]County exports[/bold] in {county_dir}")
    for mapping_name, file_name in COUNTY_FILES:
        with console.status(f"loading {file_name}"):
            report = load_export(
                rt.engine, load_mapping(mapping_name), rt.licence_types, rt.now(), county_dir / file_name
            )
        print_load_report(console, report, stored=True)
    settings = rt.settings.scan
    with console.status("scanning for licences entering their renewal window"):
        scan = run_scan(
            rt.engine,
            rt.licence_types,
            rt.calendar,
            today,
            rt.now(),
            settings.lead_working_days,
            settings.lapsed_grace_days,
        )
    print_scan_report(console, scan)
    print_summary(rt, console)
    trained = train_model(rt, console)
    route_cases(rt, console, trained.model)
    match_policies(rt, console)
    with sms_sandbox(rt, console) as notifying:
        send_due(notifying, console)  # the invitations to authorise, and every other notice due today
        holders_reply(notifying, console)
        platform_round(rt, console, after_prefill=lambda: send_due(notifying, console))
        treasury_round(rt, console)
        notify_round_demo(notifying, console)
    print_renewal_outcome(rt, console)
    leave_console_running(rt, console)


def match_policies(rt: Runtime, console: Console) -> None:
    """免申即享: the county's subjects matched against the shipped policies; each match becomes a subsidy case."""
    policies = load_policies(rt.settings.policies.folder)
    with console.status("matching the registry against the subsidy policies"):
        run, report = match_round(rt)
    print_match_report(console, report, {p.id: p.title for p in policies.policies.values()})
    for warning in run.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    console.print("Why a subject does or does not qualify: `proactive policy explain SUBJECT POLICY`.")


def print_summary(rt: Runtime, console: Console) -> None:
    today = pd.Timestamp(rt.today())
    with rt.engine.connect() as connection:
        by_type = licence_counts(connection)
        expiries = pd.to_datetime(pd.Series(valid_expiries(connection)))
        reasons = quarantine_counts(connection)
        states: Counter[str] = Counter()
        for group in case_counts(connection):
            states[group.state] += group.cases
    table = Table("licence type", "status", "licences", title="Licences in the store")
    for licences in by_type:
        table.add_row(licences.licence_type, licences.status, str(licences.licences))
    console.print(table)
    weeks = Table("week starting", "valid licences expiring", title="Expiring in the next 12 weeks")
    monday = today - timedelta(days=today.weekday())
    for week in range(12):
        start = monday + timedelta(weeks=week)
        count = int(((expiries >= start) & (expiries < start + timedelta(weeks=1))).sum())
        weeks.add_row(f"{start:%Y-%m-%d}", str(count))
    console.print(weeks)
    quarantined = Table("source", "reason", "rows", title="Quarantined rows by reason")
    for rows in reasons:
        quarantined.add_row(rows.source, rows.reason, str(rows.rows))
    console.print(quarantined)
    console.print("Cases by state: " + ", ".join(f"{state} {n}" for state, n in sorted(states.items())))
    console.print("Next: `proactive cases list` shows the most urgent cases first.")
