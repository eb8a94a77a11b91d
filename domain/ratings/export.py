"""The ratings in the fields of the national 好差评 data (评价编号, 事项名称, 办件编号 … 回访情况), as a pure
function of the rows `domain.ratings.reads.rated` gives. FIELDS names and defines each column, for the README."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from domain.ratings.grades import Grade
from ground.store.reads import stored_moment

CHANNELS = {"sms": "短信"}
FIELDS: dict[str, str] = {
    "评价编号": "PJ and the rating's number in eight digits",
    "事项名称": "the matter rated: the licence type's renewal (食品经营许可证延续), or the subsidy policy's title",
    "办件编号": "the approval platform's application number, or the case's own key where it has none",
    "评价对象": "the bureau that served the holder (notify.bureau.name)",
    "所属乡镇": "the holder's township",
    "评价渠道": "短信: a reply to the SMS invitation",
    "评价等级": "非常满意, 满意, 基本满意, 不满意 or 非常不满意",
    "评价时间": "when the rating arrived, Asia/Shanghai, to the second",
    "评价人": "the holder as registered (the business's name)",
    "评价人手机号": "the mobile that replied, masked: the first three digits and the last four",
    "整改期限": "a poor rating's deadline: 15 working days after the day of the rating",
    "差评整改情况": "what was put right, as the officer recorded it with the call-back",
    "回访情况": "what the holder said when called back",
    "回访时间": "when the call-back was recorded",
    "按期办结": "是 (called back by the deadline), 否 (called back after it, or not yet and past it) or 未到期",
}


def national_frame(
    rows: list[dict[str, Any]],
    matters: Mapping[str, str],
    bureau: str,
    zone: ZoneInfo,
    today: date,
    mask: Callable[[str], str],
) -> pd.DataFrame:
    """One row per rating, a column per field. `matters`: licence type → its label; `mask` hides a mobile."""
    records = [
        {
            "评价编号": f"PJ{row['id']:08d}",
            "事项名称": _matter(row, matters),
            "办件编号": row["application_no"] or row["natural_key"],
            "评价对象": bureau,
            "所属乡镇": row["township"] or "",
            "评价渠道": CHANNELS.get(row["channel"], row["channel"]),
            "评价等级": Grade(row["grade"]).label,
            "评价时间": _local(row["rated_at"], zone),
            "评价人": row["holder_name"] or "",
            "评价人手机号": mask(row["mobile"].removeprefix("+86")),
            "整改期限": row["due_on"].isoformat() if row["due_on"] else "",
            "差评整改情况": row["rectification"] or "",
            "回访情况": row["callback_note"] or "",
            "回访时间": _local(row["called_back_at"], zone),
            "按期办结": _in_time(row, zone, today),
        }
        for row in rows
    ]
    return pd.DataFrame.from_records(records, columns=list(FIELDS))


def _matter(row: dict[str, Any], matters: Mapping[str, str]) -> str:
    if row["kind"] == "subsidy":
        return str((row["trace"] or {}).get("policy", {}).get("title", ""))
    return f"{matters.get(row['licence_type'], row['licence_type'])}延续"


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return "" if moment is None else f"{stored_moment(moment).astimezone(zone):%Y-%m-%d %H:%M:%S}"


def _in_time(row: dict[str, Any], zone: ZoneInfo, today: date) -> str:
    due_on: date | None = row["due_on"]
    if due_on is None:
        return ""
    called: datetime | None = row["called_back_at"]
    if called is None:
        return "否" if today > due_on else "未到期"
    return "是" if stored_moment(called).astimezone(zone).date() <= due_on else "否"
