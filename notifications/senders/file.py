"""A dry-run sender: each SMS becomes one JSON file in a folder, so an operator can read what would go out."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from notifications.senders.base import Accepted, Sender


class FileSender(Sender):
    name = "file"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def send(self, to: str, body: str, reference: int) -> Accepted:
        sid = f"FILE{reference:012d}"
        record = {"sid": sid, "to": to, "body": body, "at": datetime.now(UTC).isoformat()}
        temporary = self.folder / f".{sid}.tmp"
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, self.folder / f"{sid}.json")  # whole or absent, never half a file
        return Accepted(sid, "sent")

    def find(self, to: str, body: str, since: datetime) -> Accepted | None:
        for path in sorted(self.folder.glob("FILE*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            if record["to"] == to and record["body"] == body and datetime.fromisoformat(record["at"]) >= since:
                return Accepted(record["sid"], "sent")
        return None
