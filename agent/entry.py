"""The `proactive` command's entry point. `proactive --help` is answered from the table below, importing nothing:
the full CLI (`agent.cli`) loads scikit-learn, pandas and Playwright through the commands it wires, which takes
seconds. Anything else runs the full CLI. A test keeps the table equal to the commands `agent.cli` registers (add a
command there, add its line here)."""

from __future__ import annotations

import sys

SUMMARY = "Proactive licence renewal and subsidy service."
COMMANDS = (
    ("scan", "Find licences entering their renewal window and open one case per licence expiry."),
    ("serve", "Run the scheduled service (registry load + scan on the configured cron) until SIGTERM."),
    ("worker", "Run a worker for the service's queued jobs (bot rounds, SMS, letters) until SIGTERM."),
    ("demo", "Generate a county, load it, scan it and print a summary (SQLite under var/ by default)."),
    ("kpi", "The bureau's figures for a period; each figure's definition is in the README (proactive kpi --help)."),
    (
        "worklist",
        "The renewals each service officer helps with (assisted, or returned by the approver), assigned by...",
    ),
    ("status", "The service's health from its job runs: each scheduled job's last run (when, how long), its..."),
    ("simulate", "Simulate the county's year through the real jobs (stand-ins named); exit 1 if a target is missed."),
    ("registry", "Registry exports: check and load."),
    ("cases", "Renewal and subsidy cases."),
    ("bots", "The platform bots: a round by hand, and the tools for a site profile."),
    ("model", "The renewal classifier: train, inspect."),
    ("notify", "Notices to holders: SMS and letters."),
    ("policy", "Subsidy policies (免申即享): list, test, preview, match."),
    ("subsidy", "Subsidy cases: payments recorded from the treasury."),
    ("ratings", "好差评: poor ratings' follow-ups, and the ratings export."),
    ("worklog", "The service officers' work log (台账)."),
    ("console", "The staff console: serve it, add accounts."),
)
OPTIONS = (
    ("-v, --verbose", "log INFO events too (default: warnings)"),
    ("--install-completion", "Install completion for the current shell."),
    ("--show-completion", "Show completion for the current shell, to copy it or customize the installation."),
    ("--help", "Show this message and exit."),
)


def quick_help() -> str:
    width = max(len(name) for name, _ in (*COMMANDS, *OPTIONS)) + 2
    lines = ["Usage: proactive [OPTIONS] COMMAND [ARGS]...", "", f"  {SUMMARY}", "", "Options:"]
    lines += [f"  {name:<{width}}{text}" for name, text in OPTIONS]
    lines += ["", "Commands:"]
    lines += [f"  {name:<{width}}{text}" for name, text in COMMANDS]
    lines += ["", "`proactive COMMAND --help` tells the command's options."]
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:] == ["--help"]:
        print(quick_help())
        return
    from agent.cli import app  # optional: the whole CLI (every library its commands use), past the quick help

    app()
