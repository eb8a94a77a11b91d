"""`proactive cases overdue` (SQLite and PostgreSQL): the cases past their promise, how long each has waited and
since when, the department, and each chase with its SMS's state."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from agent.cli import app
from notifications.chases import enqueue_chases
from notifications.notifier import Notifier
from tests.chasing.conftest import Filer, at, run_chases


def test_the_overdue_listing_shows_the_wait_the_department_and_the_chases(
    store: Engine, notifier: Notifier, file_case: Filer, tmp_path: Path
) -> None:
    late = file_case()
    file_case(on="2026-10-09")  # within its promise on 10-10: not listed
    run_chases(store, "2026-10-09")
    enqueue_chases(store, notifier, at("2026-10-09", "09:05"))
    run_chases(store, "2026-10-10")
    env = {
        "PROACTIVE_DATABASE_URL": store.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(app, ["cases", "overdue", "--as-of", "2026-10-10"], env=env)

    assert result.exit_code == 0, result.output
    assert "超期未办结（2026-10-10，1件）" in result.output
    (row,) = [line for line in result.output.splitlines() if f"SQ-{late}" in line]
    assert "鄂托克旗市场监督管理局" in row and "2026-09-30 10:00" in row and "1个工作日" in row and "3个工作日" in row
    assert "第1次 10-09 联络人王丽娜（待发送）" in row
    assert "第2次 10-10 联络人王丽娜（未入发送队列）" in result.output  # the notify round has not queued it yet


def test_the_overdue_listing_as_json_for_a_program(
    store: Engine, notifier: Notifier, file_case: Filer, tmp_path: Path
) -> None:
    late = file_case()
    run_chases(store, "2026-10-09")
    env = {
        "PROACTIVE_DATABASE_URL": store.url.render_as_string(hide_password=False),
        "PROACTIVE_VAR_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(app, ["cases", "overdue", "--as-of", "2026-10-10", "--json"], env=env)

    assert result.exit_code == 0, result.output
    [case] = json.loads(result.output)
    assert case["case_id"] == late and case["department"] == "鄂托克旗市场监督管理局"
    assert case["filed_at"].startswith("2026-09-30T10:00") and case["waited_working_days"] == 3
    assert case["chases"] == [{"number": 1, "level": "contact", "at": "2026-10-09", "sms": None}]
