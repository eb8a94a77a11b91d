"""What a service officer records doing on a case, and its words, in a module of their own: staff name one on the
command line, whose `--help` lists them without loading the store."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CALLED = "called"  # 电话联系
    VISITED = "visited"  # 上门走访
    MATERIALS = "materials"  # 收到材料: on an assisted renewal the holder's reminders then stop
    FILED = "filed"  # 代办提交: filed on the platform in the holder's name, under the holder's 委托


WORDS = {Action.CALLED: "电话联系", Action.VISITED: "上门走访", Action.MATERIALS: "收到材料", Action.FILED: "代办提交"}
