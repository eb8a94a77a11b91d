"""A small world for the chasing tests: food renewals filed on the platform on a known day, the shipped departments
file and licence types, the real 2026 calendar, and a chase round run at 09:00 on a given day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from domain.chasing.departments import load_departments
from domain.chasing.round import ChaseReport, chase_round
from domain.licence_types import load_licence_types
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.settings import ChaseSettings
from ground.store.tables import chases
from notifications.notifier import Notifier
from tests.notifications.conftest import SHANGHAI, ScriptedSender, case_maker, make_notifier

CALENDAR = WorkingDayCalendar.load(None, UnknownYearPolicy.RULE)
DEPARTMENTS = load_departments()
TYPES = load_licence_types()
RULES = ChaseSettings(repeat_working_days=1, contact_chases=2)


def at(day: str, time: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI).astimezone(UTC)


Filer = Callable[..., int]


@pytest.fixture
def file_case(store: Engine) -> Filer:
    return filer(store)


def filer(store: Engine) -> Filer:
    """Files a food renewal by the bot at `on` (default: Wednesday 2026-09-30, 10:00); returns its id."""
    add_case = case_maker(store)

    def filed(on: str = "2026-09-30", **values: Any) -> int:
        case_id = add_case("consented", "seamless", expires_on=date(2027, 1, 29), **values)
        with store.begin() as connection:
            move_case(
                connection,
                case_id,
                State.PREFILLED,
                "filed",
                "bot:prefill",
                at(on, "10:00"),
                application_no=f"SQ-{case_id}",
            )
        return case_id

    return filed


def run_chases(store: Engine, day: str, rules: ChaseSettings = RULES) -> ChaseReport:
    return chase_round(store, DEPARTMENTS, TYPES, CALENDAR, rules, date.fromisoformat(day), at(day), SHANGHAI)


def chase_rows(store: Engine) -> list[dict[str, Any]]:
    with store.connect() as connection:
        return [dict(row) for row in connection.execute(select(chases).order_by(chases.c.id)).mappings()]


@pytest.fixture
def notifier(tmp_path: Path) -> Notifier:
    return make_notifier(tmp_path)


@pytest.fixture
def sender() -> ScriptedSender:
    return ScriptedSender()
