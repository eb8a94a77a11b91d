"""Policy matching over the store: one subsidy case per subject + policy + period, created or withdrawn.

Running it twice changes nothing: cases are found by their natural key. A new case is routed straight to the
department's approver (免申即享: nobody applies), with its amount and trace; a standing case whose subject no longer
qualifies is withdrawn with the reasons, as long as nothing has been paid on it.

A policy whose references are still placeholders (〔待填…〕) is no lawful basis for filing or paying: its matches are
counted and held back, not made cases, unless the settings allow placeholder references.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select

from domain.policies.attributes import ATTRIBUTES, Kind
from domain.policies.match import Matches, match
from domain.policies.model import Policy
from domain.policies.population import KEY, Population
from domain.policies.trace import failures
from ground.cases.kinds import Kind as CaseKind  # beside the policy attributes' own Kind
from ground.cases.kinds import Route
from ground.cases.lifecycle import WITHDRAWABLE_BEFORE_PAYMENT, State
from ground.cases.moves import move_cases, open_cases
from ground.store.reads import query_frame
from ground.store.tables import cases, subjects

ACTOR = "policy-matching"
GONE = "主体已不在登记库中"


@dataclass
class MatchReport:
    as_of: date
    subjects: int = 0
    created: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    requalified: int = 0  # qualify again for a case withdrawn earlier: left for an officer, not reopened
    excluded: int = 0
    held_back: dict[str, int] = field(default_factory=dict)  # policy id → new matches not made cases (placeholder)
    per_policy: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, Any]:
        amount = int(self.per_policy["amount_yuan"].sum()) if len(self.per_policy) else 0
        totals = {"policies": len(self.per_policy), "amount_yuan": amount}
        counts = ("subjects", "created", "unchanged", "withdrawn", "requalified", "excluded")
        held = {"held_back": sum(self.held_back.values())}
        return {**{name: getattr(self, name) for name in counts}, **held, **totals, "skipped": self.skipped}


def natural_key(subject_key: pd.Series, policy_id: pd.Series, period: pd.Series) -> pd.Series:
    return "subsidy:" + subject_key.astype(str) + ":" + policy_id.astype(str) + ":" + period.astype(str)


def read_population(connection: Connection) -> Population:
    """Every subject with the attributes policies may test."""
    dates = [name for name, a in ATTRIBUTES.items() if a.kind is Kind.DATE]
    query = select(subjects.c[KEY], *(subjects.c[name] for name in ATTRIBUTES))
    return Population.from_frame(query_frame(connection, query, dates=dates))


def read_subsidy_cases(connection: Connection) -> pd.DataFrame:
    """Every subsidy case, withdrawn ones included, with whether each has been paid."""
    query = select(
        cases.c.id,
        cases.c.natural_key,
        cases.c.state,
        cases.c.subject_key,
        cases.c.policy_id,
        cases.c.period,
        cases.c.paid_at.is_not(None).label("paid"),
    ).where(cases.c.kind == CaseKind.SUBSIDY.value)
    frame = query_frame(connection, query, dates=[])
    return frame.astype({"paid": bool})


def read_standing(connection: Connection) -> pd.DataFrame:
    """The subsidy cases that stand (not withdrawn): what exclusions count against new matches."""
    known = read_subsidy_cases(connection)
    return known[known["state"] != State.WITHDRAWN.value]


def run_matching(
    engine: Engine, policies: Iterable[Policy], as_of: date, now: datetime, *, allow_placeholders: bool
) -> MatchReport:
    now = now.astimezone(UTC)  # SQLite keeps no offset: every stored moment is UTC
    report = MatchReport(as_of=as_of)
    with engine.begin() as connection:
        population = read_population(connection)
        known = read_subsidy_cases(connection)
        standing = known[known["state"] != State.WITHDRAWN.value]
        matches = match(policies, population, as_of, standing[["subject_key", "policy_id", "period", "paid"]])
        report.subjects, report.skipped = len(population), matches.skipped
        report.per_policy, report.excluded = matches.tally(), len(matches.excluded)
        granted = matches.granted.assign(subject_key=population.keys[matches.granted["row"].to_numpy(dtype=np.int64)])
        granted["natural_key"] = natural_key(granted["subject_key"], granted["policy_id"], granted["period"])
        new = granted[~granted["natural_key"].isin(known["natural_key"])]
        withdrawn = known["natural_key"][known["state"] == State.WITHDRAWN.value]
        report.requalified = int(granted["natural_key"].isin(withdrawn).sum())
        report.unchanged = len(granted) - len(new) - report.requalified
        if not allow_placeholders:
            new = _hold_back_placeholders(matches, new, report)
        report.created = len(new)
        if report.requalified:
            report.warnings.append(
                f"{report.requalified} subjects qualify again for subsidy cases withdrawn earlier: they are not "
                "reopened by themselves; an officer reviews them (proactive policy explain SUBJECT POLICY)"
            )
        _create(connection, matches, new, now)
        report.withdrawn = _withdraw(connection, matches, standing, set(granted["natural_key"]), now)
    return report


def _hold_back_placeholders(matches: Matches, new: pd.DataFrame, report: MatchReport) -> pd.DataFrame:
    """The new matches whose policy cites no placeholder; the others are counted per policy and named in a warning."""
    placeholder = {p for p, outcome in matches.outcomes.items() if outcome.policy.placeholder_references}
    held = new["policy_id"].isin(placeholder)
    report.held_back = {str(p): int(n) for p, n in new[held].groupby("policy_id").size().items()}
    if report.held_back:
        named = ", ".join(f"{policy_id} ({count})" for policy_id, count in report.held_back.items())
        report.warnings.append(
            f"{sum(report.held_back.values())} new subsidy matches held back, not filed or paid: their policies cite "
            f"placeholder references (〔待填…〕): {named}. Fill in the references, or set "
            "PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES=true"
        )
    return new[~held]


def _create(connection: Connection, matches: Matches, new: pd.DataFrame, now: datetime) -> None:
    if new.empty:
        return
    parts = []
    for policy_id, rows in new.groupby("policy_id", sort=True):
        policy = matches.outcomes[str(policy_id)].policy
        traces = matches.traces(str(policy_id), rows["row"].to_numpy(dtype=np.int64))
        parts.append(rows.assign(trace=pd.Series(traces, index=rows.index), policy_version=policy.version))
    frame = pd.concat(parts)
    columns = ["natural_key", "subject_key", "policy_id", "policy_version", "period", "amount_yuan", "trace"]
    titles = {policy_id: outcome.policy.title for policy_id, outcome in matches.outcomes.items()}
    reasons = (
        "符合「"
        + frame["policy_id"].map(titles)
        + "」（"
        + frame["period"].astype(str)
        + "），金额"
        + frame["amount_yuan"].astype(str)
        + "元"
    )
    opened = frame[columns].assign(reason=reasons)
    # Seamless: nobody applies; the department's approver confirms on the platform.
    open_cases(connection, opened, CaseKind.SUBSIDY, State.ROUTED, ACTOR, now, route=Route.SEAMLESS.value)


def _withdraw(
    connection: Connection, matches: Matches, standing: pd.DataFrame, granted: set[str], now: datetime
) -> int:
    """Withdraw the unpaid cases of the policies and periods matched today whose subject no longer qualifies."""
    periods = {policy_id: outcome.period for policy_id, outcome in matches.outcomes.items()}
    matched_now = standing["period"] == standing["policy_id"].map(periods)
    open_unpaid = standing["state"].isin([s.value for s in WITHDRAWABLE_BEFORE_PAYMENT]) & ~standing["paid"]
    lost = standing[matched_now & open_unpaid & ~standing["natural_key"].isin(granted)]
    if lost.empty:
        return 0
    rows = pd.Index(matches.population.keys).get_indexer(pd.Index(lost["subject_key"]))
    by_policy = lost.assign(row=rows).groupby("policy_id")
    moves = pd.concat([_withdrawals(matches, str(policy_id), group) for policy_id, group in by_policy])
    move_cases(connection, moves, State.WITHDRAWN, ACTOR, now)
    return len(moves)


def _withdrawals(matches: Matches, policy_id: str, lost: pd.DataFrame) -> pd.DataFrame:
    """One policy's withdrawn cases, each with why the subject no longer qualifies."""
    present = lost[lost["row"] >= 0]
    traces = matches.traces(policy_id, present["row"].to_numpy(dtype=np.int64))
    explained = dict(zip(present["id"].tolist(), traces, strict=True))
    found = [explained.get(case_id) for case_id in lost["id"].tolist()]
    reasons = ["不再符合政策条件：" + "；".join([GONE] if trace is None else failures(trace)) for trace in found]
    details = pd.Series([{"trace": trace} for trace in found], index=lost.index, dtype=object)
    return lost[["id", "natural_key", "state"]].assign(reason=reasons, details=details)
