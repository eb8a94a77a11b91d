"""Every SMS a holder receives is true of the data it speaks of: a day of the generated county's renewals — lapsed,
closed windows, invitations, reminders, filed, renewed — sent, then each text checked against the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select, update

from domain.renewals.renew import renew_licence
from domain.renewals.round import renewal_round
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.settings import RenewalSettings
from ground.store.tables import cases, notifications
from notifications.dispatch import dispatch
from notifications.enqueue import enqueue_due
from tests.notifications.conftest import ScriptedSender, make_notifier
from tests.renewals.conftest import NOW, County
from tests.renewals.truth import SHANGHAI, contradictions


def a_day(county: County, tmp_path: Path, sender: ScriptedSender, day: datetime) -> None:
    today = day.astimezone(SHANGHAI).date()
    renewal_round(county.engine, county.types, county.calendar, RenewalSettings(), today, day)
    notifier = make_notifier(tmp_path, daily_cap=20)
    enqueue_due(county.engine, notifier, today, day)
    dispatch(county.engine, notifier, sender, day)


def file_and_renew(engine: Engine, count: int, at: datetime) -> None:
    """Some invited holders agreed, their renewals were filed and approved (as the bots would record them)."""
    with engine.begin() as connection:
        ids = connection.execute(
            select(cases.c.id).where(cases.c.state == "awaiting_consent").order_by(cases.c.id).limit(count)
        ).scalars()
        for number, case_id in enumerate(ids):
            connection.execute(update(cases).where(cases.c.id == case_id).values(state="consented", consent="given"))
            move_case(connection, case_id, State.PREFILLED, "filed", "test", at, application_no=f"SQ2026{number:06d}")


def renew_filed(county: County, at: datetime) -> None:
    with county.engine.begin() as connection:
        for case_id in connection.execute(select(cases.c.id).where(cases.c.state == "prefilled")).scalars().all():
            move_case(connection, case_id, State.APPROVED, "approved", "test", at, decided_at=at)
            renew_licence(connection, case_id, county.types["food_business"], at, SHANGHAI, at)


def test_no_sms_of_a_days_renewals_contradicts_the_case_and_licence_it_speaks_of(
    county: County, tmp_path: Path
) -> None:
    sender = ScriptedSender()
    with county.engine.begin() as connection:  # the drug licences are for a person to help with
        connection.execute(update(cases).where(cases.c.licence_type == "drug_retail").values(route="assisted"))
    a_day(county, tmp_path, sender, NOW)
    file_and_renew(county.engine, 5, NOW + timedelta(hours=2))
    a_day(county, tmp_path, sender, NOW + timedelta(hours=3))
    tomorrow = datetime(2026, 11, 26, 2, tzinfo=UTC)
    renew_filed(county, tomorrow)
    a_day(county, tmp_path, sender, tomorrow)

    with county.engine.connect() as connection:
        events = set(
            connection.execute(select(notifications.c.event).where(notifications.c.sent_at.is_not(None))).scalars()
        )
        found = contradictions(connection)
    told = {"consent_request", "lapsed", "window_closed", "seamless_started", "renewed", "expiry_reminder"}
    assert told | {"supply_materials"} <= events
    assert found == []
