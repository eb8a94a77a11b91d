"""`proactive scan|serve|worker|demo`: the service's own commands — a scan by hand, the scheduler, a worker for its
queued jobs, and the demo."""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from agent.cli_types import Fail, GetRuntime


def register(app: typer.Typer, runtime: GetRuntime, console: Console, fail: Fail) -> None:
    @app.command()
    def scan(as_of: Annotated[str | None, typer.Option(help="Scan date, YYYY-MM-DD (default: today)")] = None) -> None:
        """Find licences entering their renewal window and open one case per licence expiry."""
        from agent.cli_reports import print_scan_report  # lazy
        from domain.scan.run import run_scan  # lazy
        from ground.calendar import CalendarYearUnknown  # lazy

        rt = runtime()
        day = date.fromisoformat(as_of) if as_of else rt.today()
        settings = rt.settings.scan
        try:
            report = run_scan(
                rt.engine,
                rt.licence_types,
                rt.calendar,
                day,
                rt.now(),
                settings.lead_working_days,
                settings.lapsed_grace_days,
            )
        except CalendarYearUnknown as exc:
            raise fail(str(exc)) from exc
        print_scan_report(console, report)

    @app.command()
    def serve() -> None:
        """Run the scheduled service (registry load + scan on the configured cron) until SIGTERM."""
        from agent.cli_console import console_served  # lazy
        from agent.ops_http import ops_served  # lazy
        from agent.service import LeadershipLost  # lazy
        from agent.service import serve as run_service  # lazy
        from ground.store.locks import Held  # lazy

        logging.getLogger().setLevel(logging.INFO)
        try:
            rt = runtime()
            with console_served(rt) as url, ops_served(rt) as ops_url:
                if url is not None:
                    logging.getLogger(__name__).info("console on %s", url)
                if ops_url is not None:
                    logging.getLogger(__name__).info(
                        "health and metrics on %s/healthz and %s/metrics", ops_url, ops_url
                    )
                run_service(rt)
        except Held as exc:
            raise fail(f"{exc}: refusing to start a second scheduler on the same job store") from exc
        except LeadershipLost as exc:
            raise fail(f"{exc}; start it again to stand by") from exc

    @app.command()
    def worker() -> None:
        """Run a worker for the service's queued jobs (bot rounds, SMS, letters) until SIGTERM."""
        from agent.workers import run_worker  # lazy

        logging.getLogger().setLevel(logging.INFO)
        settings = runtime().settings.workers
        if settings.broker_url is None:
            raise fail("a worker needs the broker: set PROACTIVE_WORKERS__BROKER_URL (or its _FILE)")
        run_worker(settings)

    @app.command()
    def demo(
        licences: Annotated[int, typer.Option(help="Licences in the generated county")] = 5000,
        seed: Annotated[int, typer.Option(help="Seed of the generated county (the same seed, the same county)")] = 7,
    ) -> None:
        """Generate a county, load it, scan it and print a summary (SQLite under var/ by default)."""
        from agent.demo import run_demo  # lazy

        run_demo(runtime(), console, licences, seed)
