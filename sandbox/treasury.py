"""A STAND-IN for the county treasury, for the demo only: it pays the approved subsidy applications and writes the
payment file the real treasury sends back (国库集中支付明细, GBK CSV), which `proactive subsidy pay` imports."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

HEADER = ("申请编号", "收款单位", "支付凭证号", "支付日期", "金额(元)")


def payment_file(paid: Sequence[tuple[str, str, int]], day: date) -> bytes:
    """The file for (application number, payee, amount) rows paid on `day`, one voucher each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number, (application_no, payee, amount) in enumerate(paid, start=1):
        writer.writerow((application_no, payee, f"GK{day:%Y%m%d}{number:05d}", day.isoformat(), f"{amount}.00"))
    return out.getvalue().encode("gbk")
