"""What every command needs, built once from the settings: the store, the licence types, the departments and the
roster, the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from domain.assistance.roster import Roster, load_roster
from domain.chasing.departments import Departments, load_departments
from domain.licence_types import LicenceType, load_licence_types
from ground.calendar import WorkingDayCalendar
from ground.settings import Settings
from ground.store import open_store
from models.config import HistoryWords, load_history_words
from notifications.notifier import Notifier


@dataclass
class Runtime:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        default = "database_url" not in self.settings.model_fields_set  # not set: the file in the working folder
        return open_store(self.settings.database_url.get_secret_value(), default)

    @cached_property
    def licence_types(self) -> dict[str, LicenceType]:
        return load_licence_types(self.settings.scan.licence_types_file)

    @cached_property
    def departments(self) -> Departments:
        return load_departments(self.settings.chase.departments_file)

    @cached_property
    def roster(self) -> Roster:
        return load_roster(self.settings.assist.roster_file)

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        return WorkingDayCalendar.load(self.settings.calendar.holiday_dir, self.settings.calendar.unknown_year)

    @property
    def models_dir(self) -> Path:
        return self.settings.model.dir or self.settings.var_dir / "models"

    @cached_property
    def history_words(self) -> HistoryWords:
        return load_history_words(self.settings.model.history_file)

    @cached_property
    def notifier(self) -> Notifier:
        return Notifier(
            self.settings.notify, self.licence_types, self.calendar, self.settings.zone, self.settings.var_dir
        )

    def today(self) -> date:
        return datetime.now(self.settings.zone).date()

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)
