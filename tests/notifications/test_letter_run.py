"""The day's letters from the outbox: printed once into a batch with codes a person can verify, refused with the
reason when the address will not do, and settled from the manifest after a crash. Real Chromium, real PDFs."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from agent.cli import app
from ground.store.tables import notifications
from notifications.enqueue import enqueue_due
from notifications.letter_run import LetterRunReport, letter_id, print_due_letters
from notifications.notifier import Notifier
from notifications.outbox import Status
from tests.notifications.conftest import NOON, TODAY, CaseMaker

RENEWED_TO = date(2031, 11, 24)  # a renewed licence's new term, as the case records it


def letters(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        query = select(notifications).where(notifications.c.channel == "letter").order_by(notifications.c.id)
        return [dict(row) for row in connection.execute(query).mappings()]


def test_letters_are_printed_once_and_a_bad_address_is_refused_with_its_reason(
    sqlite_store: Engine, notifier: Notifier, add_case_sqlite: CaseMaker
) -> None:
    add_case_sqlite("done", "seamless", new_expires_on=RENEWED_TO, mobile=None, application_no="SQ7")
    add_case_sqlite("routed", "assisted", mobile=None, address="")  # no address on record at all
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    report = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    again = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    printed, refused = sorted(letters(sqlite_store), key=lambda letter: letter["status"] != Status.PRINTED)
    assert report.outcomes == {"settled after a crash": 0, "printed": 1, "refused": 1}
    assert again.batch is None and again.outcomes == {"settled after a crash": 0}
    assert printed["status"] == Status.PRINTED and len(str(printed["verification_code"])) == 10
    assert refused["status"] == Status.REFUSED and "no address on record" in str(refused["error"])
    assert report.batch is not None and report.batch.pdf_path is not None and report.batch.pdf_path.exists()
    manifest = report.batch.manifest_path.read_text(encoding="utf-8-sig")  # type: ignore[union-attr]
    assert letter_id(int(printed["id"])) in manifest and str(printed["verification_code"]) in manifest


def test_letters_left_printing_by_a_crash_are_settled_from_the_manifest(
    sqlite_store: Engine, notifier: Notifier, add_case_sqlite: CaseMaker, tmp_path: Path
) -> None:
    add_case_sqlite("done", "seamless", new_expires_on=RENEWED_TO, mobile=None, application_no="SQ7")
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


def manifest_rows(report: LetterRunReport) -> dict[str, dict[str, str]]:
    assert report.batch is not None and report.batch.manifest_path is not None
    with report.batch.manifest_path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["信函编号"]: row for row in csv.DictReader(handle)}


def test_each_letter_bears_its_own_townships_postcode_and_an_unlisted_township_is_refused_not_guessed(
    sqlite_store: Engine, notifier: Notifier, add_case_sqlite: CaseMaker
) -> None:
    qipanjing = "内蒙古自治区鄂尔多斯市鄂托克旗棋盘井镇工业园区一路123号"
    add_case_sqlite(
        "done",
        "seamless",
        new_expires_on=RENEWED_TO,
        mobile=None,
        application_no="SQ1",
        address=qipanjing,
        township="棋盘井镇",
    )
    add_case_sqlite(
        "done", "seamless", new_expires_on=RENEWED_TO, mobile=None, application_no="SQ2"
    )  # 乌兰镇, where the bureau is
    add_case_sqlite(
        "done",
        "seamless",
        new_expires_on=RENEWED_TO,
        mobile=None,
        application_no="SQ3",
        address="鄂托克旗新镇人民路1号",
        township="新镇",
    )
    add_case_sqlite("done", "seamless", new_expires_on=RENEWED_TO, mobile=None, application_no="SQ4", township=None)
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    report = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    first, second, unlisted, unknown = letters(sqlite_store)
    rows = manifest_rows(report)
    assert (
        rows[letter_id(first["id"])]["邮政编码"] == "016064" and rows[letter_id(second["id"])]["邮政编码"] == "016100"
    )
    assert rows[letter_id(first["id"])]["收件地址"] == qipanjing  # whole: no place name cut in two
    assert (unlisted["status"], unknown["status"]) == (Status.REFUSED, Status.REFUSED)
    assert "no postcode is listed for the township '新镇'" in str(unlisted["error"])
    assert "township is not on record" in str(unknown["error"])
    assert report.outcomes["refused"] == 2 and len(report.refused) == 2


def test_a_run_whose_every_letter_lacks_a_postcode_refuses_them_without_printing(
    sqlite_store: Engine, notifier: Notifier, add_case_sqlite: CaseMaker
) -> None:
    add_case_sqlite(
        "done", "seamless", new_expires_on=RENEWED_TO, mobile=None, application_no="SQ1", township="乌兰"
    )  # not in the list
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    report = print_due_letters(sqlite_store, notifier, TODAY, NOON)
    assert report.batch is None and report.outcomes == {"settled after a crash": 0, "printed": 0, "refused": 1}


def test_verifying_a_letter_tells_when_it_was_printed_in_shanghai_time(
    sqlite_store: Engine, notifier: Notifier, add_case_sqlite: CaseMaker
) -> None:
    add_case_sqlite("done", "seamless", new_expires_on=RENEWED_TO, mobile=None, application_no="SQ7")
    enqueue_due(sqlite_store, notifier, TODAY, NOON)
    print_due_letters(sqlite_store, notifier, TODAY, NOON)  # at noon in Shanghai, 04:00 UTC
    [letter] = letters(sqlite_store)
    env = {"PROACTIVE_DATABASE_URL": str(sqlite_store.url)}
    result = CliRunner().invoke(app, ["notify", "verify", str(letter["verification_code"])], env=env)
    assert result.exit_code == 0, result.output
    assert "printed 2026-11-25 12:00" in result.output
