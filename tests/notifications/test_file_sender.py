"""The dry-run sender: one readable JSON file per SMS, found again after a crash like a provider would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from notifications.senders.file import FileSender


def test_each_sms_becomes_one_readable_file(tmp_path: Path) -> None:
    sender = FileSender(tmp_path / "outbox")
    accepted = sender.send("+8613912345678", "【局】您好", 7)
    [written] = list((tmp_path / "outbox").glob("*.json"))
    record = json.loads(written.read_text(encoding="utf-8"))
    assert (accepted.sid, accepted.status) == ("FILE000000000007", "sent")
    assert (record["to"], record["body"]) == ("+8613912345678", "【局】您好")


def test_a_written_sms_is_found_again_but_not_one_from_before_the_claim(tmp_path: Path) -> None:
    sender = FileSender(tmp_path)
    before = datetime.now(UTC) - timedelta(seconds=1)
    sender.send("+8613912345678", "【局】您好", 7)
    assert sender.find("+8613912345678", "【局】您好", before) is not None
    assert sender.find("+8613912345678", "【局】另一条", before) is None
    assert sender.find("+8613912345678", "【局】您好", datetime.now(UTC) + timedelta(minutes=1)) is None
