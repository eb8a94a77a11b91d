"""How long the bots' evidence is kept. A failed attempt leaves a screenshot and a trace holding a business's
registry data; once the case has moved on they are only history, so after `keep_days` they are deleted. A case
still parked keeps its evidence for as long as it waits for the operator."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from agent.cases.lifecycle import State
from agent.store.tables import cases

EVIDENCE_NAME = re.compile(r"case-(\d+)-")  # bots.runner names each attempt's files case-<id>-<bot>-<attempt>


def expired(files: Iterable[tuple[Path, datetime]], parked: set[int], cutoff: datetime) -> list[Path]:
    """Of (file, last modified), those older than `cutoff` that do not belong to a parked case."""
    old = []
    for path, modified in files:
        match = EVIDENCE_NAME.match(path.name)
        if modified < cutoff and not (match and int(match.group(1)) in parked):
            old.append(path)
    return old


def prune_evidence(engine: Engine, folder: Path, keep_days: int, now: datetime) -> int:
    """Delete the evidence files in `folder` that are past keeping; how many were deleted."""
    if not folder.is_dir():
        return 0
    with engine.connect() as connection:
        parked = set(connection.execute(select(cases.c.id).where(cases.c.state == State.PARKED.value)).scalars())
    files = [(path, datetime.fromtimestamp(path.stat().st_mtime, now.tzinfo)) for path in folder.iterdir()]
    old = expired(files, parked, now - timedelta(days=keep_days))
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)
