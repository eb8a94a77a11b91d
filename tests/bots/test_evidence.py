"""Failed attempts' screenshots and traces are deleted after the keeping period, unless their case is still parked."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bots.evidence import prune_evidence
from tests.subsidies.world import add_subject, add_subsidy_case

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def evidence(folder: Path, name: str, age_days: int) -> Path:
    path = folder / name
    path.write_bytes(b"screenshot or trace")
    moment = (NOW - timedelta(days=age_days)).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_old_evidence_goes_but_a_parked_case_keeps_its_own(sqlite_store: Engine, tmp_path: Path) -> None:
    subject = add_subject(sqlite_store, 1)
    parked = add_subsidy_case(sqlite_store, subject, state="parked")
    moved_on = add_subsidy_case(sqlite_store, subject, policy_id="other_policy", state="approved")
    kept_parked = evidence(tmp_path, f"case-{parked}-prefill-3.trace.zip", age_days=200)
    old = evidence(tmp_path, f"case-{moved_on}-prefill-1.png", age_days=91)
    recent = evidence(tmp_path, f"case-{moved_on}-prefill-2.png", age_days=89)

    deleted = prune_evidence(sqlite_store, tmp_path, keep_days=90, now=NOW)

    assert deleted == 1 and not old.exists()
    assert kept_parked.exists() and recent.exists()
