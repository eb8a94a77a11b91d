"""`proactive simulate`: the generated county run day by day on a virtual clock through the service's real jobs —
load, scan, route and the renewal round, policy matching, notify (SMS through the real twilio library to the sandbox
gateway), the bots against the sandbox platform, status sync, chasing, ratings, letters — with labelled STAND-INS
for the people and systems outside (simulate_standins.py). At the end: the year's figures (as `proactive kpi`), the
weekly plots, and the targets checked (simulate_targets.py)."""

from __future__ import annotations

import shutil
import time as wall
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path

import pandas as pd
from pydantic import SecretStr
from rich.console import Console

from agent.cli_kpi import compute, moments, promises
from agent.cli_model import train_model
from agent.demo_notify import gateway_flags, webhook_port, with_gateway
from agent.demo_platform import SANDBOX_APPROVER, SANDBOX_BOT, treasury_round
from agent.jobs import bot_round, chase_round, letters_round, match_round, notify_round, reconcile_round, refresh
from agent.simulate_clock import SimRuntime, VirtualClock
from agent.simulate_county import EVENTS, LICENCES, SUBJECTS, apply_month, change_day, prepare, renew_at_counter
from agent.simulate_officers import Officers
from agent.simulate_standins import Approvers, Holders
from domain.kpi.figures import Period, weekly
from domain.kpi.plots import write_trends
from domain.registries.load import load_export
from domain.registries.mapping import load_mapping
from domain.registries.reads import valid_licence_numbers
from ground.http_serving import LOOPBACK, serving
from ground.settings import Settings
from notifications.reads import in_flight
from notifications.webhooks import create_webhooks
from sandbox.platform.server import serving as platform_serving
from sandbox.platform.settings import PlatformSettings
from sandbox.sms_gateway.process import gateway_process

MAPPINGS = ((SUBJECTS, "county_subjects"), (LICENCES, "county_licences"), (EVENTS, "county_events"))
CALLBACK_WAIT_S = 10  # the gateway reports delivery within a few milliseconds here; stop waiting after this


@dataclass(frozen=True)
class Plan:
    start: date
    days: int
    licences: int
    seed: int
    output: Path
    database_url: str | None = None  # default: a SQLite file in `output`
    slow_department: str | None = "science"  # the STAND-IN approvers' slow department
    never_decides: frozenset[str] = frozenset()  # departments whose STAND-IN approver decides nothing

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=self.days - 1)


@dataclass
class Year:
    """What the run did, for the report: the figures, the plots, the stand-ins' tallies, the wall time."""

    plan: Plan
    figures: pd.DataFrame
    plots: list[Path]
    valid_at_start: set[str]
    registry_changes: dict[str, int] = field(default_factory=dict)
    holder_replies: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)  # wall time by step, for the benchmark
    # CPU time by step of this process (the jobs, the in-process sandbox platform, the webhooks; not the browsers,
    # nor the gateway, which are processes of their own): on a shared machine the wall time says more of the others'
    # work than of ours, this does not
    step_cpu_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


def simulate(base: Settings, plan: Plan, console: Console) -> tuple[SimRuntime, Year]:
    began = wall.monotonic()
    fresh_output(plan.output)
    county = prepare(plan.output / "county", plan.licences, plan.seed, plan.start)
    clock = VirtualClock(base.zone)
    clock.set(plan.start, time(1, 0))
    with world(base, plan, clock) as (sim, holders, approvers):
        valid = first_day(sim, county, console)
        year = Year(plan, pd.DataFrame(), [], valid)
        officers = Officers(plan.seed, plan.output / "platform.db", SANDBOX_BOT[0])
        for offset in range(plan.days):
            day = plan.start + timedelta(days=offset)
            run_day(sim, county, day, Cast(holders, approvers, officers), year)
            if offset % 7 == 6 or offset == plan.days - 1:
                console.print(f"simulated up to {day} ({offset + 1} of {plan.days} days)", highlight=False)
        year.holder_replies, year.decisions = holders.replies, approvers.decided
        year.registry_changes.update(officers.tally)
    period = Period(plan.start, plan.last_day)
    read = moments(sim)
    year.figures = compute(sim, read, period, None)
    year.plots = write_trends(weekly(read, period, sim.calendar, promises(sim)), plan.output / "plots")
    year.seconds = wall.monotonic() - began
    return sim, year


def fresh_output(folder: Path) -> None:
    """A run starts from nothing: the last run's stores, traces, letters, model and plots in `folder` are removed
    (the generated county is kept: the same size, seed and day give the same files)."""
    folder.mkdir(parents=True, exist_ok=True)
    for pattern in ("proactive.db*", "platform.db*", "sms-gateway.db*", "summary.json"):
        for path in folder.glob(pattern):
            path.unlink()
    for name in ("var", "models", "plots"):
        shutil.rmtree(folder / name, ignore_errors=True)


@contextmanager
def world(base: Settings, plan: Plan, clock: VirtualClock) -> Iterator[tuple[SimRuntime, Holders, Approvers]]:
    """The sandbox platform (in this process, on the virtual clock), the sandbox SMS gateway (its own process) and
    the service's webhooks (on the virtual clock), for the whole run."""
    folder = plan.output
    with ExitStack() as stack:
        platform_settings = PlatformSettings(db_path=folder / "platform.db", clock=clock.shanghai_naive, seed=plan.seed)
        platform = stack.enter_context(platform_serving(platform_settings))
        port = stack.enter_context(webhook_port())
        gateway = stack.enter_context(
            gateway_process(folder / "sms-gateway.db", *gateway_flags(port, delivery_step_ms=5))
        )
        settings = sim_settings(with_gateway(base, gateway, f"http://{LOOPBACK}:{port}"), plan, platform)
        sim = SimRuntime(settings, clock)
        stack.enter_context(serving(create_webhooks(sim.engine, sim.notifier, clock.now), port=port, lifespan="off"))
        holders = Holders(plan.seed, gateway)
        approvers = Approvers(plan.seed, platform, SANDBOX_APPROVER, plan.slow_department, plan.never_decides)
        yield sim, holders, approvers


def sim_settings(base: Settings, plan: Plan, platform_url: str) -> Settings:
    platform = base.platform.model_copy(
        update={
            "base_url": platform_url,
            "username": SANDBOX_BOT[0],
            "password": SecretStr(SANDBOX_BOT[1]),
            "concurrency": 2,
            "backoff_seconds": 0,
            "trace_first_try": False,  # a county filing thousands: retries only are traced (README, the settings)
        }
    )
    policies = base.policies.model_copy(update={"allow_placeholder_references": True})
    url = plan.database_url or f"sqlite:///{plan.output / 'proactive.db'}"
    return base.model_copy(
        update={
            "database_url": SecretStr(url),
            "var_dir": plan.output / "var",
            "registries": [],  # the simulation loads the county's exports itself, on the days they change
            "platform": platform,
            "policies": policies,
            "model": base.model.model_copy(update={"dir": plan.output / "models"}),
        }
    )


def first_day(sim: SimRuntime, county: Path, console: Console) -> set[str]:
    """Load the county (and its history), train the classifier on it; the licences valid on the first day."""
    for file_name, mapping in MAPPINGS:
        load_export(sim.engine, load_mapping(mapping), sim.licence_types, sim.now(), county / file_name)
    train_model(sim, Console(quiet=True))
    with sim.engine.connect() as connection:
        valid = valid_licence_numbers(connection, sim.today())
    console.print(f"county loaded: {len(valid)} licences valid on {sim.today()}; classifier trained on its history")
    return valid


@dataclass(frozen=True)
class Cast:
    """The STAND-INS a day runs with."""

    holders: Holders
    approvers: Approvers
    officers: Officers


def run_day(sim: SimRuntime, county: Path, day: date, cast: Cast, year: Year) -> None:
    """One day of the service in the order its schedule runs the jobs, each at its time on the virtual clock."""
    working = sim.calendar.is_working_day(day)
    plan = year.plan
    holders, approvers, officers = cast.holders, cast.approvers, cast.officers

    def at(hour: int, minute: int, step: Callable[[], object], when: bool = True, name: str = "") -> None:
        if when:
            sim.clock.set(day, time(hour, minute))
            began, cpu = wall.monotonic(), wall.process_time()
            step()
            name = name or f"{hour:02d}:{minute:02d}"
            year.step_seconds[name] = year.step_seconds.get(name, 0.0) + wall.monotonic() - began
            year.step_cpu_seconds[name] = year.step_cpu_seconds.get(name, 0.0) + wall.process_time() - cpu

    changed = change_day(day, plan.start)
    at(1, 0, lambda: registry_update(sim, county, day, year), when=changed)
    at(1, 30, lambda: counter_renewals(sim, county, day, officers), when=counter_due(officers, day))
    at(2, 0, lambda: refresh(sim))
    at(3, 30, lambda: match_round(sim), when=changed or day == plan.start)
    at(9, 0, lambda: chase_round(sim), when=working)
    at(9, 5, lambda: notify(sim))
    at(10, 0, lambda: holders.answer_consent(sim.engine, day))
    at(10, 30, lambda: bot_round(sim, ignore_hours=True, steps=("prefill",)), when=working)
    at(11, 0, lambda: officers.work(sim, day), when=working)
    at(10, 45, lambda: notify(sim))
    at(15, 0, lambda: approvers.decide(sim.engine, sim.departments, sim.calendar, day), when=working)
    # The status sync runs on the days a STAND-IN approver decided something: on the others it would read nothing new
    # (a shortcut of the simulation's, to spare a browser start; the service runs it every bot round).
    synced = working and approvers.decided_today > 0
    at(16, 0, lambda: bot_round(sim, ignore_hours=True, steps=("status_sync",)), when=synced)
    at(16, 5, lambda: notify(sim))
    at(16, 30, lambda: treasury_round(sim, Console(quiet=True)), when=working)
    at(16, 40, lambda: letters_round(sim), when=working)
    at(19, 0, lambda: notify(sim))
    at(20, 0, lambda: holders.rate(sim.engine, day))
    at(20, 5, lambda: notify(sim))
    at(23, 0, lambda: reconcile_round(sim))


def registry_update(sim: SimRuntime, county: Path, day: date, year: Year) -> None:
    change = apply_month(county, year.plan.seed, day)
    year.registry_changes["licences issued"] = year.registry_changes.get("licences issued", 0) + change.issued
    year.registry_changes["subjects deregistered"] = (
        year.registry_changes.get("subjects deregistered", 0) + change.deregistered
    )
    for file_name, mapping in MAPPINGS[:2]:
        load_export(sim.engine, load_mapping(mapping), sim.licence_types, sim.now(), county / file_name)


def counter_due(officers: Officers, day: date) -> bool:
    """The licences export carries the counters' renewals weekly (Mondays), and at once for a licence about to
    expire (the registry's urgent update), so no licence renewed at a counter shows as lapsed."""
    pending = [old for licence, (_, old) in officers.at_counter.items() if licence not in officers.exported]
    return bool(pending) and (day.weekday() == 0 or min(pending) <= day + timedelta(days=7))


def counter_renewals(sim: SimRuntime, county: Path, day: date, officers: Officers) -> None:
    pending = {k: v for k, v in officers.at_counter.items() if k not in officers.exported}
    renew_at_counter(county, pending)
    officers.exported.update(pending)
    load_export(sim.engine, load_mapping("county_licences"), sim.licence_types, sim.now(), county / LICENCES)


def notify(sim: SimRuntime) -> None:
    """The dispatch job, then the gateway's delivery reports (which a letter in place of a failed SMS waits on)."""
    notify_round(sim)
    deadline = wall.monotonic() + CALLBACK_WAIT_S
    while wall.monotonic() < deadline:
        with sim.engine.connect() as connection:
            if not in_flight(connection):
                return
        wall.sleep(0.01)
