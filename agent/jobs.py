"""Scheduled jobs and their run records: every run says when it started, how it ended, what it counted.

An unattended job that dies silently is the main risk, so the run row is written before the work starts and
closed whatever happens.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine

from agent import pings
from agent.routing import route_new_renewals
from agent.runtime import Runtime
from bots.claims import release_lane
from bots.config import platform_from, retry_policy
from bots.evidence import prune_evidence
from bots.prefill import matters_due, prefill_seamless
from bots.report import BotReport, Outcome
from bots.session import Platform
from bots.status_sync import sync_statuses
from domain.chasing.round import chase_round as record_chases
from domain.licence_types import late_types, offline_types
from domain.policies.loading import load_policies
from domain.policies.run import MatchReport, run_matching
from domain.registries.connectors import ExportUnreadable
from domain.registries.load import LoadReport, Step, load_export, quiet
from domain.registries.mapping import MappingError, load_mapping
from domain.renewals.round import RenewalReport, renewal_round
from domain.scan.run import run_scan
from ground.calendar import WorkingDayCalendar
from ground.cases.kinds import Kind
from ground.cases.lifecycle import State
from ground.cases.reads import CaseFilter, count_cases
from ground.outside_work.attempts import close_interrupted
from ground.outside_work.slots import platform_slots
from ground.settings import OpsSettings, PlatformSettings, RegistrySource, load_settings
from ground.store.job_runs import RunStatus, close_runs_of_the_dead, finish_run, start_run
from ground.store.locks import PREFILL_LANES, RETIRED_PREFILL_LOCKS, Held, alone, one_of
from models.artifacts import ModelArtifactError, load_current
from notifications.alerts import enqueue_ops_alert
from notifications.chases import enqueue_chases
from notifications.dispatch import DispatchReport, dispatch, reconcile
from notifications.enqueue import enqueue_due
from notifications.letter_run import print_due_letters
from notifications.notifier import Notifier

log = logging.getLogger(__name__)
REFRESH_JOB_ID = "registry-refresh"
BOTS_JOB_ID = "platform-bots"
NOTIFY_JOB_ID = "notify-dispatch"
RECONCILE_JOB_ID = "notify-reconcile"
LETTERS_JOB_ID = "letter-batch"
MATCH_JOB_ID = "policy-matching"
CHASE_JOB_ID = "approval-chase"
BOT_STEPS = ("prefill", "status_sync")
NO_MODEL = "no trained model yet (run `proactive model train`)"  # why a run leaves the new cases unrouted
# Set by the service on SIGTERM: the running job finishes its current step and stops.
STOP = threading.Event()


class Interrupted(Exception):
    """The job was asked to stop between two steps."""


@dataclass
class JobRun:
    counts: dict[str, Any] = field(default_factory=dict)  # Any: per step, what it counted, stored as JSON
    warnings: list[str] = field(default_factory=list)
    degraded: bool = False  # part of the work was left out (named in the warnings); the rest was done
    failure: str | None = None  # the run could not do its work, though nothing raised: a person must act
    holds: tuple[str, ...] = ()  # the locks the run holds (with the lane it took)

    def degrade(self, warning: str) -> None:
        self.degraded = True
        self.warnings.append(warning)

    def fail(self, reason: str) -> None:
        """The run ends `failed` with `reason` as its error, once its body is done (what it did is still kept)."""
        self.failure = self.failure or reason

    def checkpoint(self) -> None:
        if STOP.is_set():
            raise Interrupted("stop requested")


@contextmanager
def recorded_run(
    engine: Engine,
    job_id: str,
    ops: OpsSettings | None = None,
    notifier: Callable[[], Notifier] | None = None,
    holds: tuple[str, ...] = (),
    lanes: tuple[str, ...] = (),
) -> Iterator[JobRun]:
    """The run's row: `running` from the start, then `ok`, `degraded` (done, but part of it left out and named in
    the warnings), `failed` (the error is kept) or `interrupted` (stopped between two steps). With `ops`, the job's
    dead-man's-switch pings go out at the start and the end, and a failed or degraded run alerts the operator (by
    webhook, and with `notifier` by SMS through the outbox: the notify round sends it). With `holds`, the run takes
    those locks first (`Held` if another process has one) and closes the runs a dead process left holding them;
    with `lanes`, one of them as well (`Held` if all are held), and it closes the dead runs of the free others."""
    busy = f"another run of {job_id} is at work"
    with ExitStack() as held:
        for name in holds:
            held.enter_context(alone(engine, name, busy))
        if lanes:
            close_dead_lanes(engine, job_id, holds, lanes)
            holds = (*holds, held.enter_context(one_of(engine, lanes, busy)))
        if holds:
            close_runs_of_the_dead(engine, job_id, holds, Runtime.now())
        with _recorded(engine, job_id, ops, notifier, holds) as run:
            yield run


def close_dead_lanes(engine: Engine, job_id: str, holds: tuple[str, ...], lanes: tuple[str, ...]) -> None:
    """Close the runs of `job_id` a dead process left holding a lane (with `holds`, which the caller holds), and
    free the cases its pre-fill held: a lane free now is one no living run holds. Taken one at a time, each only
    for the closing."""
    for lane in lanes:
        try:
            with alone(engine, lane, "a living run"):
                close_runs_of_the_dead(engine, job_id, (*holds, lane), Runtime.now())
                release_lane(engine, lane)
        except Held:
            continue
    if lanes == PREFILL_LANES:
        close_retired(engine, job_id, holds)


def close_retired(engine: Engine, job_id: str, holds: tuple[str, ...]) -> None:
    """Close the runs of `job_id` an older version left running while holding the pre-fill's retired locks: free
    now, they are held by no living process (an older one still at work keeps its runs open)."""
    with ExitStack() as held:
        try:
            for name in RETIRED_PREFILL_LOCKS:
                held.enter_context(alone(engine, name, "a round of an older version"))
        except Held:
            return
        close_runs_of_the_dead(engine, job_id, (*holds, *RETIRED_PREFILL_LOCKS), Runtime.now())


@contextmanager
def _recorded(
    engine: Engine,
    job_id: str,
    ops: OpsSettings | None,
    notifier: Callable[[], Notifier] | None,
    holds: tuple[str, ...],
) -> Iterator[JobRun]:
    run = JobRun(holds=holds)
    run_id = start_run(engine, job_id, Runtime.now(), holds)
    pings.ping_start(ops, job_id)
    status, error = RunStatus.OK, None
    try:
        yield run
        status = RunStatus.DEGRADED if run.degraded else RunStatus.OK
        if run.failure is not None:
            status, error = RunStatus.FAILED, run.failure
    except Interrupted:
        status = RunStatus.INTERRUPTED
    except Exception as exc:
        status, error = RunStatus.FAILED, f"{exc.__class__.__name__}: {exc}"
        raise
    finally:
        ended = Runtime.now()
        finish_run(engine, run_id, ended, status, run.counts, run.warnings, error)
        log.info("job %s run %s ended %s %s", job_id, run_id, status, run.counts)
        pings.ping_end(ops, job_id, status)
        pings.alert(ops, job_id, status, ended, error, run.warnings)
        if ops is not None and ops.alert_mobile and notifier is not None and status in pings.ALERTED:
            alert_by_sms(engine, notifier, ops.alert_mobile, job_id, run_id, status, ended)


def runtime_notifier(runtime: Runtime) -> Callable[[], Notifier]:
    return lambda: runtime.notifier


def alert_by_sms(
    engine: Engine,
    notifier: Callable[[], Notifier],
    number: str,
    job_id: str,
    run_id: int,
    status: RunStatus,
    at: datetime,
) -> None:
    """The operator's 运行告警 SMS, recorded in the outbox; a failure to record it is logged, never the job's."""
    try:
        why = enqueue_ops_alert(engine, notifier(), number, job_id, run_id, pings.OUTCOMES[status], at)
    except Exception:  # the job's own outcome is already recorded: an alert must not change it
        log.exception("job %s: the operator's alert SMS not recorded", job_id)
        return
    if why is not None:
        log.warning("job %s: the operator's alert SMS not recorded: %s", job_id, why)


def refresh(runtime: Runtime) -> JobRun:
    """Load every configured registry, then scan, route and run the renewal round. Each source and the scan is one
    step. A source that cannot be read is left out and named, and the rest goes on: one broken export must not
    cost the night's scan of everything else."""
    with recorded_run(runtime.engine, REFRESH_JOB_ID, runtime.settings.ops, runtime_notifier(runtime)) as run:
        for source in runtime.settings.registries:
            run.checkpoint()
            try:
                run.counts[f"load:{source.name}"] = load_source(runtime, source).as_counts()
            except (ExportUnreadable, MappingError) as exc:  # the load is one transaction: nothing of it was kept
                run.degrade(f"source {source.name} not loaded: {exc}")
        run.checkpoint()
        scan = run_scan(
            runtime.engine,
            runtime.licence_types,
            runtime.calendar,
            runtime.today(),
            runtime.now(),
            runtime.settings.scan.lead_working_days,
            runtime.settings.scan.lapsed_grace_days,
        )
        run.counts["scan"] = scan.as_counts()
        run.warnings.extend(scan.warnings)
        run.checkpoint()
        route_new_cases(runtime, run)
        run.checkpoint()
        run.counts["renewal"] = renewal_step(runtime).as_counts()
    return run


def renewal_step(runtime: Runtime) -> RenewalReport:
    """Put every renewal not yet filed where the law says it stands today (lapsed, window closed, consent)."""
    return renewal_round(
        runtime.engine,
        runtime.licence_types,
        runtime.calendar,
        runtime.settings.renewal,
        runtime.today(),
        runtime.now(),
    )


def load_source(runtime: Runtime, source: RegistrySource, step: Step = quiet) -> LoadReport:
    """Load one configured registry source: a file, or a query against a registry database."""
    return load_export(
        runtime.engine,
        load_mapping(source.mapping),
        runtime.licence_types,
        runtime.now(),
        source.path,
        step,
        source.url.get_secret_value() if source.url else None,
        source.query,
    )


def route_new_cases(runtime: Runtime, run: JobRun) -> None:
    """Score and route the cases the scan created. Without a usable model they wait, and the run says why: it is
    degraded when cases are left waiting (nothing waiting, nothing is left out)."""
    with runtime.engine.connect() as connection:
        waiting = count_cases(connection, CaseFilter(kind=Kind.RENEWAL.value, state=State.NEW.value))
    try:
        model = load_current(runtime.models_dir)
    except ModelArtifactError as exc:
        left_unrouted(run, waiting, f"the current model was refused: {exc}")
        return
    if model is None:
        left_unrouted(run, waiting, NO_MODEL)
        return
    scoring = route_new_renewals(
        runtime.engine,
        model,
        runtime.history_words,
        runtime.today(),
        runtime.now(),
        offline_types(runtime.licence_types),
    )
    run.counts["scoring"] = scoring.as_counts()
    run.warnings.extend(scoring.warnings)


def left_unrouted(run: JobRun, waiting: int, why: str) -> None:
    warning = f"cases left unrouted: {why}" + (f"; {waiting} cases wait" if waiting else "")
    if waiting:
        run.degrade(warning)
    else:
        run.warnings.append(warning)


def judge_bot_step(run: JobRun, step: str, report: BotReport, hours_left: bool) -> None:
    """What a bot step's report means for the round: a refused login or a profile that does not fit fails it (no
    case can go on until a person fixes the account or the profile); a platform that looked down (the batch stopped
    early while it could have gone on) or cases given up on (parked, refused as permanent) degrade it."""
    if report.login_refused:
        run.fail(f"{step}: the platform refused the bot's login; check the bot account")
    elif report.misfit:
        run.fail(f"{step}: the site profile does not fit the platform; bots stay off (proactive bots misfit)")
    elif report.stopped_early and hours_left:
        run.degrade(f"{step}: stopped early, the platform looks down; {report.left_for_later} cases wait")
    given_up = report.parked + report.outcomes.get(Outcome.PERMANENT.value, 0)
    if given_up:
        run.degrade(f"{step}: {given_up} cases given up on (parked or refused by the platform); see the parked queue")


def bot_round(
    runtime: Runtime,
    base_url: str | None = None,
    ignore_hours: bool = False,
    steps: tuple[str, ...] = BOT_STEPS,
    limit: int | None = None,
    kinds: tuple[str, ...] | None = None,
    matters: tuple[str, ...] | None = None,
) -> JobRun | None:
    """Pre-fill the seamless cases (of `kinds`, on `matters`, default all) on the platform, then read the
    approvers' decisions back (or only the `steps` named). None: no platform, or outside the platform's hours.
    Pre-fill rounds (the service's, workers', an operator's `proactive bots`) may work at once, even on one matter:
    each takes its cases one by one with a lease on each (`bots.claims`). One status sync at a time across the
    database: `Held` if another is at work. With workers, the platform's sessions are limited across all of them
    (`shared_slots`)."""
    settings = runtime.settings.platform
    platform = shared_slots(runtime, platform_from(settings, runtime.settings.var_dir, base_url))
    now = partial(datetime.now, runtime.settings.zone)
    if platform is None or not (ignore_hours or platform_open(settings, runtime.calendar, now())):
        return None

    def keep_going() -> bool:  # today is a working day (above): the hours are what can end
        return not STOP.is_set() and (ignore_hours or settings.in_hours(now().time()))

    policy = retry_policy(settings)
    worked = kinds or tuple(Kind)
    holds = ("bots:status_sync",) if "status_sync" in steps else ()
    lanes = PREFILL_LANES if "prefill" in steps else ()
    notifier = runtime_notifier(runtime)
    with recorded_run(runtime.engine, BOTS_JOB_ID, runtime.settings.ops, notifier, holds, lanes) as run:
        # the status sync's inside its lock; the pre-fill's on cases no live lease holds
        interrupted = sum(close_interrupted(runtime.engine, runtime.now(), step, worked) for step in steps)
        if interrupted:
            run.counts["attempts"] = {"interrupted": interrupted}
        refused = False
        if "prefill" in steps:
            prefill = prefill_seamless(
                runtime.engine,
                platform,
                policy,
                runtime.now,
                settings.concurrency,
                limit,
                kinds,
                keep_going,
                late_types(runtime.licence_types),
                None if matters is None else frozenset(matters),
                settings.lease_seconds,
                next(name for name in run.holds if name in lanes),
            )
            run.counts["prefill"] = prefill.outcomes
            run.warnings.extend(f"pre-fill on {platform.base_url}: {warning}" for warning in prefill.warnings)
            judge_bot_step(run, "pre-fill", prefill, keep_going())
            refused = prefill.login_refused or prefill.misfit
            run.checkpoint()
        if refused:  # another try now would only bring the account nearer to a lock-out
            run.warnings.append(
                "status sync skipped: "
                + (
                    "the profile does not fit the platform"
                    if prefill.misfit
                    else "the platform refused the bot's login"
                )
            )
        elif "status_sync" in steps and keep_going():
            synced = sync_statuses(runtime.engine, platform, policy, runtime.now, keep_going, runtime.licence_types)
            run.counts["status_sync"] = synced.outcomes
            run.warnings.extend(f"status sync on {platform.base_url}: {warning}" for warning in synced.warnings)
            judge_bot_step(run, "status sync", synced, keep_going())
        deleted = prune_evidence(runtime.engine, platform.trace_dir, settings.evidence_days, runtime.now())
        if deleted:
            run.counts["evidence"] = {"deleted": deleted}
    return run


def due_matters(runtime: Runtime) -> dict[str, int]:
    """The configured platform's matters with cases due, and how many: with workers, the scheduler enqueues their
    pre-fill."""
    platform = platform_from(runtime.settings.platform, runtime.settings.var_dir)
    if platform is None:
        return {}
    return matters_due(runtime.engine, platform.profile, runtime.now, late_types(runtime.licence_types))


def shared_slots(runtime: Runtime, platform: Platform | None) -> Platform | None:
    """With workers, the platform's concurrency is one limit for all of them, held in Redis; alone, the round's own
    `concurrency` pages are the limit."""
    workers = runtime.settings.workers
    if platform is None or workers.broker_url is None:
        return platform
    limit = runtime.settings.platform.concurrency
    slots = platform_slots(workers.redis_url.get_secret_value(), platform.base_url, limit, workers.lease_seconds)
    return replace(platform, slots=slots)


def platform_open(settings: PlatformSettings, calendar: WorkingDayCalendar, moment: datetime) -> bool:
    """Within the platform's configured hours, on a working day unless it is set to work every day."""
    working = settings.days == "every" or calendar.is_working_day(moment.date())
    return working and settings.in_hours(moment.time())


def notify_round(runtime: Runtime, limit: int | None = None, holds: tuple[str, ...] = ()) -> JobRun:
    """Record the notices the cases call for and the chases' SMS (cancelling those of cases decided meanwhile), then
    send the SMS that are due (within sending hours); holding the locks named in `holds` (a worker's round)."""
    notifier = runtime.notifier
    ops = runtime.settings.ops
    with recorded_run(runtime.engine, NOTIFY_JOB_ID, ops, runtime_notifier(runtime), holds) as run:
        run.counts["recorded"] = enqueue_due(runtime.engine, notifier, runtime.today(), runtime.now()).as_counts()
        chases = enqueue_chases(runtime.engine, notifier, runtime.now())
        run.counts["chases"] = chases.as_counts()
        run.warnings.extend(chases.warnings)
        run.checkpoint()
        sent = dispatch(runtime.engine, notifier, notifier.sender(), runtime.now(), limit, lambda: not STOP.is_set())
        run.counts["sms"] = sent.as_counts()
        run.warnings.extend(sent.warnings)
        run.checkpoint()  # a dispatch cut short by SIGTERM: the run is recorded as interrupted
    return run


def reconcile_round(runtime: Runtime) -> JobRun:
    """Settle SMS whose send may have happened (a crash, an unanswered request) against the provider's records."""
    notifier = runtime.notifier
    with recorded_run(runtime.engine, RECONCILE_JOB_ID, runtime.settings.ops, runtime_notifier(runtime)) as run:
        report = DispatchReport()
        reconcile(runtime.engine, notifier, notifier.sender(), runtime.now(), report)
        run.counts["reconciled"] = report.as_counts()
        run.warnings.extend(report.warnings)
    return run


def letters_round(runtime: Runtime, holds: tuple[str, ...] = ()) -> JobRun:
    """Print the letters waiting in the outbox into the day's batch (PDF for the printer, manifest for the post);
    holding the locks named in `holds` (a worker's round)."""
    ops = runtime.settings.ops
    with recorded_run(runtime.engine, LETTERS_JOB_ID, ops, runtime_notifier(runtime), holds) as run:
        report = print_due_letters(runtime.engine, runtime.notifier, runtime.today(), runtime.now())
        run.counts["letters"] = report.outcomes
        if report.batch is not None:
            run.counts["batch"] = {"pdf": str(report.batch.pdf_path), "pages": report.batch.total_pages}
        run.warnings.extend(f"letter refused: {reason}" for reason in report.refused)
    return run


def chase_round(runtime: Runtime) -> JobRun:
    """催办: record a chase of each case waiting on its approver past its promise and due one today (a working
    day); the notify round sends their SMS."""
    with recorded_run(runtime.engine, CHASE_JOB_ID, runtime.settings.ops, runtime_notifier(runtime)) as run:
        report = record_chases(
            runtime.engine,
            runtime.departments,
            runtime.licence_types,
            runtime.calendar,
            runtime.settings.chase,
            runtime.today(),
            runtime.now(),
            runtime.settings.zone,
        )
        run.counts["chase"] = report.as_counts()
        run.warnings.extend(report.warnings)
    return run


def match_round(runtime: Runtime, as_of: date | None = None) -> tuple[JobRun, MatchReport]:
    """Match the registry against the policy folder. A policy file that cannot be used is named in the run's
    warnings and left out; the others are matched."""
    policies = load_policies(runtime.settings.policies.folder)
    with recorded_run(runtime.engine, MATCH_JOB_ID, runtime.settings.ops, runtime_notifier(runtime)) as run:
        run.warnings.extend(f"policy file left out: {error}" for error in policies.errors)
        run.warnings.extend(policies.warnings)
        report = run_matching(
            runtime.engine,
            policies.policies.values(),
            as_of or runtime.today(),
            runtime.now(),
            allow_placeholders=runtime.settings.policies.allow_placeholder_references,
        )
        run.counts["matching"] = report.as_counts()
        run.warnings.extend(report.warnings)
        run.warnings.extend(f"policy {policy_id} not matched: {why}" for policy_id, why in report.skipped.items())
    return run, report


def when_not_stopping(job: Callable[[Runtime], object]) -> Callable[[], None]:
    """A scheduler entry point (referenced by name in the job store, so it takes no arguments): a job the scheduler
    had queued when the service was told to stop does not start."""

    def scheduled() -> None:
        if STOP.is_set():
            log.info("%s not started: the service is stopping", job.__name__)
            return
        job(Runtime(load_settings()))

    scheduled.__doc__ = job.__doc__
    return scheduled


def _bot_round_unless_held(runtime: Runtime) -> None:
    """The bots: a round already at work (started by hand) is left to finish."""
    try:
        bot_round(runtime)
    except Held as exc:
        log.warning("bot round skipped: %s", exc)


scheduled_match_round = when_not_stopping(match_round)
scheduled_letters_round = when_not_stopping(letters_round)
scheduled_notify_round = when_not_stopping(notify_round)
scheduled_reconcile_round = when_not_stopping(reconcile_round)
scheduled_bot_round = when_not_stopping(_bot_round_unless_held)
scheduled_refresh = when_not_stopping(refresh)
scheduled_chase_round = when_not_stopping(chase_round)
