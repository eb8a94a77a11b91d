"""How the bots' evidence is kept, and for how long. A failed attempt leaves a screenshot and a trace holding a
business's registry data: they are readable by the service's own user only, like the saved session. Once the case
has moved on they are only history, so after `keep_days` they are deleted. A case still parked keeps its evidence
for as long as it waits for the operator."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from ground.cases.lifecycle import State
from ground.store.tables import cases

EVIDENCE_NAME = re.compile(r"case-(\d+)-")  # bots.batch names each try's files case-<id>-<bot>-<attempt>


def private_folder(folder: Path) -> None:
    """`folder`, made if need be, open to its owner only (also when an older version made it world-readable)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)


def write_private(path: Path, data: bytes) -> None:
    """Write `path` readable by its owner only from its first byte on."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(descriptor, 0o600)  # a file left by an older version keeps its mode on O_CREAT
        handle.write(data)


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
