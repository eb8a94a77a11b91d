"""The day's letters from the outbox: each given its id and verification code, marked `printing` with its batch
before Chromium runs, then `printed` or `refused` with the reason. A letter whose postcode is not known for sure
(its township not on record, not in its address, or not in the postcode list) is refused before printing.

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

from ground.events import Event
from ground.store.tables import notifications
from notifications import outbox
from notifications.letters.address import Recipient
from notifications.letters.batch import BatchResult, LetterRequest, Refused, print_daily_batch
from notifications.letters.manifest import COLUMNS
from notifications.letters.template import LetterMeta
from notifications.notifier import Notifier
from notifications.outbox import Status
from notifications.postcodes import NoPostcode, Postcodes
from notifications.settle import told

LETTER_ID_COLUMN = COLUMNS[1]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: people type these from paper


@dataclass
class LetterRunReport:
    outcomes: dict[str, int] = field(default_factory=dict)
    batch: BatchResult | None = None
    refused: list[str] = field(default_factory=list)  # why each refused letter cannot go out


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
    requests, refused = _requests(rows, day, notifier.postcodes)
    if requests:  # no Chromium for a run whose every letter was refused
        report.batch = print_daily_batch(requests, folder, day, max_pages=notifier.settings.letters.page_limit)
        refused += report.batch.refused
    _record(engine, rows, {refusal.letter_id: refusal.reason for refusal in refused}, now)
    report.refused = [refusal.reason for refusal in refused]
    report.outcomes.update({"printed": len(report.batch.letters) if report.batch else 0, "refused": len(refused)})
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


def _requests(rows: list[dict[str, Any]], day: date, postcodes: Postcodes) -> tuple[list[LetterRequest], list[Refused]]:
    """The letters to print, each with its township's postcode; those without one refused with the reason."""
    requests, refused = [], []
    for row in rows:
        address = row["address"] or {}
        lines = tuple(address.get("lines", []))
        try:
            postcode = postcodes.for_address(address.get("township"), "".join(lines))
        except NoPostcode as exc:
            refused.append(Refused(letter_id(row["id"]), f"letter {letter_id(row['id'])}: {exc}"))
            continue
        requests.append(
            LetterRequest(
                Event(row["event"]),
                row["context"],
                Recipient(address.get("name", ""), lines, postcode),
                LetterMeta(letter_id(row["id"]), row["verification_code"], day),
            )
        )
    return requests, refused


def _record(engine: Engine, rows: list[dict[str, Any]], refused: dict[str, str], now: datetime) -> None:
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
