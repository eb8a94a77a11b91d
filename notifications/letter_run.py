"""The day's letters from the outbox: each given its id and verification code, marked `printing` with its batch
before Chromium runs, then `printed` or `refused` with the reason.

A crash between printing and recording leaves letters `printing`; the next run settles them from the batch's
manifest (in it: printed; not: printed again), so no letter is printed twice or lost.
"""

from __future__ import annotations

import csv
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from agent.store.tables import notifications
from notifications import outbox
from notifications.dispatch import told
from notifications.events import Event
from notifications.letters.address import Recipient
from notifications.letters.batch import BatchResult, LetterRequest, print_daily_batch
from notifications.letters.manifest import COLUMNS
from notifications.letters.template import LetterMeta
from notifications.notifier import Notifier
from notifications.outbox import Status

LETTER_ID_COLUMN = COLUMNS[1]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: people type these from paper


@dataclass
class LetterRunReport:
    outcomes: dict[str, int] = field(default_factory=dict)
    batch: BatchResult | None = None


def letter_id(message_id: int) -> str:
    return f"L{message_id:08d}"


def verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def print_due_letters(engine: Engine, notifier: Notifier, day: date, now: datetime) -> LetterRunReport:
    now = now.astimezone(UTC)
    report = LetterRunReport(outcomes={"settled after a crash": _settle_interrupted(engine, now)})
    folder = _batch_folder(notifier.letters_dir, day)
    rows = _claim(engine, folder, now)
    if not rows:
        return report
    result = print_daily_batch(
        [_request(row, day) for row in rows], folder, day, max_pages=notifier.settings.letters.page_limit
    )
    _record(engine, rows, result, now)
    report.batch = result
    report.outcomes.update({"printed": len(result.letters), "refused": len(result.refused)})
    return report


def _batch_folder(letters_dir: Path, day: date) -> Path:
    """One folder per print run: a second run the same day gets its own, never overwriting the first."""
    run = 1
    while (letters_dir / f"{day.isoformat()}-{run}").exists():
        run += 1
    return letters_dir / f"{day.isoformat()}-{run}"


def _claim(engine: Engine, folder: Path, now: datetime) -> list[dict[str, Any]]:
    query = select(notifications).where(
        notifications.c.channel == "letter", notifications.c.status == Status.CREATED.value
    )
    claimed = []
    with engine.begin() as connection:
        for row in connection.execute(query.order_by(notifications.c.id)).mappings().all():
            code = row["verification_code"] or verification_code()
            if outbox.move(
                connection,
                row["id"],
                Status.CREATED,
                now,
                status=Status.PRINTING,
                batch=str(folder),
                verification_code=code,
                claimed_at=now,
            ):
                claimed.append({**row, "verification_code": code})
    return claimed


def _request(row: dict[str, Any], day: date) -> LetterRequest:
    address = row["address"] or {}
    return LetterRequest(
        Event(row["event"]),
        row["context"],
        Recipient(address.get("name", ""), tuple(address.get("lines", [])), address.get("postcode", "")),
        LetterMeta(letter_id(row["id"]), row["verification_code"], day),
    )


def _record(engine: Engine, rows: list[dict[str, Any]], result: BatchResult, now: datetime) -> None:
    refused = {refusal.letter_id: refusal.reason for refusal in result.refused}
    with engine.begin() as connection:
        for row in rows:
            reason = refused.get(letter_id(row["id"]))
            if reason is not None:
                outbox.move(connection, row["id"], Status.PRINTING, now, status=Status.REFUSED, error=reason)
            elif outbox.move(connection, row["id"], Status.PRINTING, now, status=Status.PRINTED, sent_at=now):
                told(connection, row["id"], now)


def _settle_interrupted(engine: Engine, now: datetime) -> int:
    query = select(notifications.c.id, notifications.c.batch).where(notifications.c.status == Status.PRINTING.value)
    settled = 0
    with engine.begin() as connection:
        for message_id, batch in connection.execute(query).all():
            if letter_id(message_id) in _manifest_ids(Path(batch)):
                outbox.move(connection, message_id, Status.PRINTING, now, status=Status.PRINTED, sent_at=now)
            else:
                outbox.move(connection, message_id, Status.PRINTING, now, status=Status.CREATED)
            settled += 1
    return settled


def _manifest_ids(folder: Path) -> set[str]:
    """The letter ids a batch's manifest lists (the manifest is written last, with the PDF, atomically)."""
    ids: set[str] = set()
    for manifest in folder.glob("manifest-*.csv"):
        with manifest.open(encoding="utf-8-sig", newline="") as handle:
            ids.update(row[LETTER_ID_COLUMN] for row in csv.DictReader(handle))
    return ids
