"""The SMS suite: messages per second from the outbox through the real `twilio` library to the sandbox gateway (its
own process), with the outbox in SQLite and in PostgreSQL, against the library alone sending the same messages in
the same run (the provider path with no bookkeeping: the floor our send path is measured against)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, make_url, text
from twilio.rest import Client

from benchmarks.runner import Row
from domain.licence_types import load_licence_types
from ground.calendar import UnknownYearPolicy, WorkingDayCalendar
from ground.settings import NotifySettings, SmsSettings
from ground.store import open_store
from notifications.dispatch import dispatch
from notifications.notifier import Notifier
from notifications.outbox import record
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, gateway_process

MESSAGES = 400
QUICK_MESSAGES = 60
SENDER = "+15005550006"
BODY = (
    "【鄂托克旗政务服务】乌兰镇草原味道餐饮店：您的食品经营许可证（JY11506240012345）"
    "将于2027年3月31日到期，请及时办理延续。"
)
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LIBRARY_ONLY = "twilio library alone (floor)"
SQLITE = "outbox in SQLite → twilio → gateway"
POSTGRES = "outbox in PostgreSQL → twilio → gateway"


def run_sms_suite(root: Path, log: Callable[[str], None], quick: bool = False) -> list[Row]:
    here = root / "sms"
    here.mkdir(parents=True, exist_ok=True)
    count = QUICK_MESSAGES if quick else MESSAGES
    rows: list[Row] = []
    with gateway_process(here / f"gateway-{time.time_ns()}.db", "--delivery-step-ms", "1000") as gateway:
        floor = _library_alone(gateway, count)
        log(f"[sms] {LIBRARY_ONLY}: {count / floor:.1f} messages/s")
        for name, engine in ((SQLITE, _sqlite(here)), (POSTGRES, _postgres())):
            seconds = _through_outbox(engine, gateway, count, here, offset=len(rows) + 1)
            log(f"[sms] {name}: {count / seconds:.1f} messages/s")
            rows.append(Row(count, name, seconds, 0.0, count, LIBRARY_ONLY, floor, 0.0))
    return rows


def _library_alone(gateway: str, count: int) -> float:
    client = Client(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN)
    client.api.base_url = gateway
    started = time.perf_counter()
    for n in range(count):
        client.messages.create(to=_mobile(0, n), from_=SENDER, body=BODY)
    return time.perf_counter() - started


def _through_outbox(engine: Engine, gateway: str, count: int, folder: Path, offset: int) -> float:
    now = datetime.now(UTC)
    record(engine, [_message(offset, n, now) for n in range(count)])
    notifier = _notifier(gateway, folder)
    sender = notifier.sender()
    started = time.perf_counter()
    report = dispatch(engine, notifier, sender, now)
    seconds = time.perf_counter() - started
    assert report.outcomes["sent"] == count, report.outcomes  # every message went, once
    return seconds


def _message(run: int, n: int, now: datetime) -> dict[str, object]:
    return {
        "natural_key": f"bench:{run}:{n}",
        "event": "expiry_reminder",
        "channel": "sms",
        "recipient": _mobile(run, n),
        "context": {},
        "body": BODY,
        "segments": 2,
        "status": "created",
        "due_at": now,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def _mobile(run: int, n: int) -> str:
    return f"+86139{run:02d}{n:06d}"


def _notifier(gateway: str, folder: Path) -> Notifier:
    sms = SmsSettings(
        sender="twilio",
        account_sid=SANDBOX_ACCOUNT_SID,
        auth_token=SecretStr(SANDBOX_AUTH_TOKEN),
        from_number=SENDER,
        api_base_url=gateway,
        send_hours="00:00-23:59",
        rest_day_hours="00:00-23:59",
    )
    calendar = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)
    return Notifier(NotifySettings(sms=sms), load_licence_types(), calendar, ZoneInfo("Asia/Shanghai"), folder)


def _sqlite(folder: Path) -> Engine:
    path = folder / f"outbox-{time.time_ns()}.db"
    return open_store(f"sqlite:///{path}")


def _postgres() -> Engine:
    """A database of the suite's own on the local server, emptied and migrated."""
    name = "proactive_bench_sms"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return open_store(make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False))
