"""Printing the SMS suite: messages per second per row, against the twilio library alone in the same run."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from benchmarks.runner import Row

NOTES = (
    "floor: the same number of messages created with the twilio library alone, one after another, against the same",
    "       gateway process: what the provider path costs with no outbox. ×floor near 1 means our bookkeeping",
    "       (claim before, record after, cap and opt-out checks) is not what limits the rate.",
    "provider limits for comparison: Twilio queues a long code at 1 message/s and a short code at 100/s; Chinese",
    "       carriers' bulk gateways allow a few hundred per second per account.",
)


def print_sms_report(console: Console, rows: Sequence[Row]) -> None:
    table = Table("path", "messages", "s", "messages/s", "floor messages/s", "×floor", title="SMS send path")
    for row in rows:
        table.add_row(
            row.step,
            str(row.rows),
            f"{row.seconds:.2f}",
            f"{row.rows / row.seconds:.1f}",
            f"{row.rows / row.floor_seconds:.1f}",
            f"{row.ratio:.2f}",
        )
    console.print(table)
    for line in NOTES:
        console.print(line, highlight=False)
