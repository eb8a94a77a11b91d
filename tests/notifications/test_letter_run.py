"""The day's letters from the outbox: printed once into a batch with codes a person can verify, refused with the
reason when the address will not do, and settled from the manifest after a crash. Real Chromium, real PDFs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update

from agent.store.tables import notifications
from notifications.enqueue import enqueue_due
from notifications.letter_run import letter_id, print_due_letters
from notifications.notifier import Notifier
from notifications.outbox import Status
from tests.notifications.conftest import NOON, TODAY, CaseMaker


def letters(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        query = select(notifications).where(notifications.c.channel == "letter").order_by(notifications.c.id)
        return [dict(row) for row in connection.execute(query).mappings()]


def test_letters_are_printed_once_and_a_bad_address_is_refused_with_its_reason(
    sqlite_store: Engine, notifier: Notifier, add_case_sqlite: CaseMaker
) -> None:
    add_case_sqlite("done", "seamless", mobile=None, application_no="SQ7", new_expires_on=date(2031, 11, 24))
    add_case_sqlite("routed", "assisted", mobile=None, address="")  # no address on record at all
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    report = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    again = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    printed, refused = letters(sqlite_store)
    assert report.outcomes == {"settled after a crash": 0, "printed": 1, "refused": 1}
    assert again.batch is None and again.outcomes == {"settled after a crash": 0}
    assert printed["status"] == Status.PRINTED and len(str(printed["verification_code"])) == 10
    assert refused["status"] == Status.REFUSED and "address lines" in str(refused["error"])
    assert report.batch is not None and report.batch.pdf_path is not None and report.batch.pdf_path.exists()
    manifest = report.batch.manifest_path.read_text(encoding="utf-8-sig")  # type: ignore[union-attr]
    assert letter_id(int(printed["id"])) in manifest and str(printed["verification_code"]) in manifest


def test_letters_left_printing_by_a_crash_are_settled_from_the_manifest(
    sqlite_store: Engine, notifier: Notifier, add_case_sqlite: CaseMaker, tmp_path: Path
) -> None:
    add_case_sqlite("done", "seamless", mobile=None, application_no="SQ7", new_expires_on=date(2031, 11, 24))
    add_case_sqlite("returned", "assisted", mobile=None, application_no="SQ8")
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    first = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    assert first.batch is not None and first.batch.pdf_path is not None
    in_batch, not_in_batch = letters(sqlite_store)
    with sqlite_store.begin() as connection:  # as if the process died after Chromium, before the commit…
        connection.execute(
            update(notifications).where(notifications.c.id == in_batch["id"]).values(status=Status.PRINTING.value)
        )
        connection.execute(  # …and this one had been claimed into a batch that never got written
            update(notifications)
            .where(notifications.c.id == not_in_batch["id"])
            .values(status=Status.PRINTING.value, batch=str(tmp_path / "never-written"))
        )
    report = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    assert report.outcomes == {"settled after a crash": 2, "printed": 1, "refused": 0}
    assert [row["status"] for row in letters(sqlite_store)] == [Status.PRINTED, Status.PRINTED]
    assert report.batch is not None and report.batch.pdf_path != first.batch.pdf_path  # its own run folder
