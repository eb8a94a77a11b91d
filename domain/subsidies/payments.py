"""The treasury's payment file, read and checked against the cases — pure: bytes and case rows in, one outcome
per line out. The treasury pays outside our system; this is how its payments reach the cases, exactly once.

A line names its case by the platform's application number (申请编号) or by our reference (PA-…), and carries the
payment voucher number (支付凭证号), the payment date (支付日期) and the amount (金额(元)). A line is recorded only
when its case is an approved subsidy of exactly that amount; a line already recorded (same case, same voucher) is
left as it is, so importing a file again changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from ground.cases.lifecycle import State

# Canonical column → the headers a treasury export may use for it (compared without spaces, either bracket width).
HEADERS = {
    "application_no": ("申请编号", "受理编号"),
    "reference": ("申请参考号", "外部参考号", "业务参考号", "参考号"),
    "voucher": ("支付凭证号", "凭证号"),
    "paid_on": ("支付日期", "拨付日期"),
    "amount": ("金额(元)", "支付金额(元)", "拨付金额(元)"),
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S")


class PaymentFileError(ValueError):
    """A file that cannot be read as a payment file at all; nothing is imported from it."""


class Result(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already recorded"
    REFUSED = "refused"


@dataclass(frozen=True)
class Line:
    """One payment line as read; `problem` says why it cannot be used, whatever the cases hold."""

    line: int  # the file's line number (the header is line 1)
    key: str  # application number or our reference, as written
    voucher: str
    paid_at: datetime | None
    amount: Decimal | None
    problem: str | None = None


@dataclass(frozen=True)
class Outcome:
    line: Line
    result: Result
    case_id: int | None = None
    reason: str = ""


def read_lines(raw: bytes, zone: ZoneInfo) -> list[Line]:
    """The payment lines of a CSV file in UTF-8 (with or without BOM) or GBK; dates are `zone` dates."""
    rows = csv.reader(io.StringIO(_decode(raw)))
    header = next(rows, None)
    if header is None:
        raise PaymentFileError("the file is empty")
    columns = _columns(header)
    return [_line(number, cells, columns, zone) for number, cells in enumerate(rows, start=2) if any(cells)]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")  # a superset of GBK: GBK files decode the same


def _columns(header: list[str]) -> dict[str, int]:
    """Canonical column → its position; the file needs a case column (either kind) and the other three."""
    positions = {_plain(name): i for i, name in enumerate(header)}
    found = {
        column: next(positions[_plain(name)] for name in names if _plain(name) in positions)
        for column, names in HEADERS.items()
        if any(_plain(name) in positions for name in names)
    }
    lacking = [HEADERS[c][0] for c in ("voucher", "paid_on", "amount") if c not in found]
    if "application_no" not in found and "reference" not in found:
        lacking.insert(0, f"{HEADERS['application_no'][0]} or {HEADERS['reference'][0]}")
    if lacking:
        raise PaymentFileError(f"the header lacks {', '.join(lacking)} (it has: {', '.join(header)})")
    return found


def _plain(header: str) -> str:
    return "".join(header.split()).replace("（", "(").replace("）", ")").removeprefix("\ufeff")


def _line(number: int, cells: list[str], columns: Mapping[str, int], zone: ZoneInfo) -> Line:
    def cell(column: str) -> str:
        position = columns.get(column)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    key = cell("application_no") or cell("reference")
    paid_at, amount = _moment(cell("paid_on"), zone), _amount(cell("amount"))
    problems = [
        "no application number or reference" if not key else "",
        "no voucher number" if not cell("voucher") else "",
        f"bad payment date {cell('paid_on')!r}" if paid_at is None else "",
        f"bad amount {cell('amount')!r}" if amount is None else "",
    ]
    problem = "; ".join(p for p in problems if p) or None
    return Line(number, key, cell("voucher"), paid_at, amount, problem)


def _moment(text: str, zone: ZoneInfo) -> datetime | None:
    """A payment date (or date and time) in the bureau's zone; a bare date is the start of that day."""
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.replace(tzinfo=zone)
    return None


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def decide(
    lines: Iterable[Line],
    cases: Mapping[str, dict[str, Any]],
    vouchers: Mapping[str, int],
    allow_placeholders: bool = False,
) -> list[Outcome]:
    """Each line's outcome, in file order, against `cases` (subsidy cases by application number and by reference,
    each with the placeholder references its decision cited) and `vouchers` (voucher numbers already recorded →
    their case id). A line that pays a case counts for the lines after it: a second line for the case, or for the
    voucher, finds it taken. A case decided on a placeholder reference is not paid unless `allow_placeholders`."""
    copies = {case["id"]: dict(case) for case in cases.values()}
    by_key = {key: copies[case["id"]] for key, case in cases.items()}  # both keys of a case share one copy
    used = dict(vouchers)
    outcomes = []
    for line in lines:
        outcome = _decide(line, by_key.get(line.key), used, allow_placeholders)
        if outcome.result is Result.RECORDED:
            by_key[line.key].update(state=State.PAID.value, payment_ref=line.voucher)
            used[line.voucher] = by_key[line.key]["id"]
        outcomes.append(outcome)
    return outcomes


def _decide(line: Line, case: dict[str, Any] | None, vouchers: Mapping[str, int], allow_placeholders: bool) -> Outcome:
    if case is None or line.problem:
        reason = line.problem or "no subsidy case has this application number or reference"
        return Outcome(line, Result.REFUSED, reason=reason)
    if case["payment_ref"] == line.voucher:
        return Outcome(line, Result.ALREADY, case["id"])
    refusal = _refusal(line, case, vouchers) or (None if allow_placeholders else _placeholder(case))
    return Outcome(line, Result.REFUSED if refusal else Result.RECORDED, case["id"], refusal or "")


def _refusal(line: Line, case: dict[str, Any], vouchers: Mapping[str, int]) -> str | None:
    """Why the line cannot pay its case, or None when it can."""
    if vouchers.get(line.voucher, case["id"]) != case["id"]:
        return f"voucher {line.voucher} is already recorded for case {vouchers[line.voucher]}"
    if case["payment_ref"] is not None:
        return f"case already paid under voucher {case['payment_ref']}"
    if case["state"] != State.APPROVED.value:
        return f"case is {case['state']}, not approved"
    if line.amount != case["amount_yuan"]:
        return f"amount {line.amount} yuan differs from the case's {case['amount_yuan']} yuan"
    return None


def _placeholder(case: dict[str, Any]) -> str | None:
    if not case["placeholder_references"]:
        return None
    return (
        f"the policy reference is a placeholder ({case['placeholder_references'][0]}): not paid unless "
        "PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES=true"
    )
