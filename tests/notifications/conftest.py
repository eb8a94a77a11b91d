"""A small hand-made world for the notification tests: cases in known states, a notifier, a scripted sender."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, insert

from domain.licence_types import load_licence_types
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.settings import NotifySettings, SmsSettings
from ground.store.tables import cases, licences, subjects
from notifications.notifier import Notifier
from notifications.senders.base import Accepted, Sender, SendError

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 25)  # a Wednesday
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI).astimezone(UTC)
MOBILE = "+8613912345678"


def make_notifier(folder: Path, **sms: Any) -> Notifier:
    settings = NotifySettings(sms=SmsSettings(backoff_seconds=60, **sms))
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    return Notifier(settings, load_licence_types(), calendar, SHANGHAI, folder)


@pytest.fixture
def notifier(tmp_path: Path) -> Notifier:
    return make_notifier(tmp_path)


class ScriptedSender(Sender):
    """Stands in for the provider where a test needs a particular answer; `script` holds what each send does."""

    name = "scripted"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.script: list[SendError | None] = []
        self.provider_has: list[Accepted] = []  # what `find` answers after a crash

    def send(self, to: str, body: str, reference: int) -> Accepted:
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        self.sent.append((to, body))
        return Accepted(f"SM{len(self.sent):032d}", "queued")

    def find(self, to: str, body: str, since: datetime) -> Accepted | None:
        return self.provider_has[0] if self.provider_has else None


@pytest.fixture
def sender() -> ScriptedSender:
    return ScriptedSender()


CaseMaker = Callable[..., int]


@pytest.fixture
def add_case(store: Engine) -> CaseMaker:
    """Insert a subject, its food licence and a renewal case; returns the case id (SQLite and PostgreSQL)."""
    return case_maker(store)


@pytest.fixture
def add_case_sqlite(sqlite_store: Engine) -> CaseMaker:
    """The same, on SQLite only: for tests whose subject is not the database (printing letters)."""
    return case_maker(sqlite_store)


def case_maker(store: Engine) -> CaseMaker:
    counter = iter(range(1, 10_000))

    def make(
        state: str,
        route: str | None,
        *,
        expires_on: date = date(2027, 1, 29),
        mobile: str | None = MOBILE,
        address: str = "内蒙古自治区鄂尔多斯市鄂托克旗乌兰镇团结路18号",
        township: str | None = "乌兰镇",
        application_no: str | None = None,
        reasons: dict[str, Any] | None = None,
        window: tuple[date, date] | None = None,
        **values: Any,
    ) -> int:
        """`window` (opens, closes) defaults to one open on TODAY that closes three weeks before the expiry;
        `values` are further case columns (consent_deadline, new_expires_on, calendar_warning…)."""
        opens, closes = window or (min(TODAY, expires_on - timedelta(days=130)), expires_on - timedelta(days=21))
        n = next(counter)
        now = NOON
        key, licence_no = f"91150624MA0{n:07d}", f"JY115062400{n:05d}"
        with store.begin() as connection:
            connection.execute(
                insert(subjects).values(
                    subject_key=key,
                    name=f"乌兰镇第{n}号餐饮店",
                    status="active",
                    address=address,
                    township=township,
                    mobile=mobile,
                    source="test",
                    row_hash=str(n),
                    updated_at=now,
                )
            )
            connection.execute(
                insert(licences).values(
                    licence_no=licence_no,
                    subject_key=key,
                    licence_type="food_business",
                    holder_name=f"乌兰镇第{n}号餐饮店",
                    address=address,
                    expires_on=expires_on,
                    status="valid",
                    mobile=mobile,
                    source="test",
                    row_hash=str(n),
                    updated_at=now,
                )
            )
            inserted = connection.execute(
                insert(cases).values(
                    natural_key=f"renewal:{licence_no}:{expires_on}",
                    kind="renewal",
                    state=state,
                    route=route,
                    licence_no=licence_no,
                    subject_key=key,
                    licence_type="food_business",
                    expires_on=expires_on,
                    application_no=application_no,
                    reasons=reasons,
                    window_opens_on=opens,
                    window_closes_on=closes,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
        return int(inserted.inserted_primary_key[0])  # type: ignore[index]

    return make
