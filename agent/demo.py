"""`proactive demo`: the main job end to end on the embedded default — a generated county, loaded, scanned, its
new cases routed by a classifier trained on the county's own renewal history, and its subjects matched against the
subsidy policies."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from agent.cli_model import route_cases, train_model
from agent.cli_policy import print_match_report
from agent.cli_reports import print_load_report, print_scan_report
from agent.demo_holders import holders_reply
from agent.demo_notify import notify_round_demo, send_due, sms_sandbox
from agent.demo_outcome import print_renewal_outcome
from agent.demo_platform import platform_round, treasury_round
from agent.jobs import match_round
from agent.runtime import Runtime
from domain.policies.loading import load_policies
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from domain.scan.run import run_scan
from ground.store.tables import cases, licences, quarantine
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
        by_type = connection.execute(
            select(licences.c.licence_type, licences.c.status, func.count()).group_by(
                licences.c.licence_type, licences.c.status
            )
        ).all()
        expiries = pd.to_datetime(
            pd.Series(
                connection.execute(select(licences.c.expires_on).where(licences.c.status == "valid")).scalars().all()
            )
        )
        reasons = connection.execute(
            select(quarantine.c.source, quarantine.c.reason, func.count()).group_by(
                quarantine.c.source, quarantine.c.reason
            )
        ).all()
        states = connection.execute(select(cases.c.state, func.count()).group_by(cases.c.state)).all()
    table = Table("licence type", "status", "licences", title="Licences in the store")
    for licence_type, status, count in sorted(by_type):
        table.add_row(licence_type, status, str(count))
    console.print(table)
    weeks = Table("week starting", "valid licences expiring", title="Expiring in the next 12 weeks")
    monday = today - timedelta(days=today.weekday())
    for week in range(12):
        start = monday + timedelta(weeks=week)
        count = int(((expiries >= start) & (expiries < start + timedelta(weeks=1))).sum())
        weeks.add_row(f"{start:%Y-%m-%d}", str(count))
    console.print(weeks)
    quarantined = Table("source", "reason", "rows", title="Quarantined rows by reason")
    for source, reason, count in sorted(reasons, key=lambda r: (r[0], -r[2])):
        quarantined.add_row(source, reason, str(count))
    console.print(quarantined)
    console.print("Cases by state: " + ", ".join(f"{state} {count}" for state, count in sorted(states)))
    console.print("Next: `proactive cases list` shows the most urgent cases first.")
