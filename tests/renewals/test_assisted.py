"""What staff do with the renewals they help with, through the commands they use: record the holder's answer given by
phone, record materials received (the reminders stop), and hand each department its list of lapsed licences."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from agent.cli import app
from domain.renewals.round import renewal_round
from ground.settings import RenewalSettings
from ground.store.tables import case_transitions, cases, notifications
from notifications.enqueue import enqueue_due
from tests.notifications.conftest import make_notifier
from tests.renewals.conftest import AS_OF, NOW, County


def proactive(engine: Engine, folder: Path, *args: str) -> str:
    env = {"PROACTIVE_DATABASE_URL": engine.url.render_as_string(hide_password=False), "PROACTIVE_VAR_DIR": str(folder)}
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def first(county: County, state: str, route: str) -> int:
    with county.engine.connect() as connection:
        query = select(cases.c.id).where(cases.c.state == state, cases.c.route == route).order_by(cases.c.id)
        return int(connection.execute(query.limit(1)).scalar_one())


def events(county: County, case_id: int, tmp_path: Path) -> list[str]:
    enqueue_due(county.engine, make_notifier(tmp_path), AS_OF, NOW)
    with county.engine.connect() as connection:
        query = select(notifications.c.event).where(
            notifications.c.case_id == case_id, notifications.c.status != "cancelled"
        )
        return list(connection.execute(query).scalars())


def test_a_holder_answering_by_phone_is_recorded_by_staff_and_the_case_moves(county: County, tmp_path: Path) -> None:
    renewal_round(county.engine, county.types, county.calendar, RenewalSettings(), AS_OF, NOW)
    asked = first(county, "awaiting_consent", "seamless")

    output = proactive(
        county.engine, tmp_path, "cases", "consent", str(asked), "given", "--via", "电话（工作人员记录）"
    )

    assert "consented" in output
    with county.engine.connect() as connection:
        reason = connection.execute(
            select(case_transitions.c.reason).where(
                case_transitions.c.case_id == asked, case_transitions.c.new_state == "consented"
            )
        ).scalar_one()
    assert "电话" in reason


def test_materials_received_stop_the_reminders(county: County, tmp_path: Path) -> None:
    with county.engine.begin() as connection:  # a drug licence staff help with, its window still open
        connection.execute(update(cases).where(cases.c.licence_type == "drug_retail").values(route="assisted"))
    renewal_round(county.engine, county.types, county.calendar, RenewalSettings(), AS_OF, NOW)
    with county.engine.connect() as connection:
        helped = connection.execute(
            select(cases.c.id)
            .where(cases.c.route == "assisted", cases.c.state == "routed", cases.c.window_closes_on > AS_OF)
            .order_by(cases.c.id)
            .limit(1)
        ).scalar_one()
    assert events(county, helped, tmp_path) == ["supply_materials"]

    proactive(
        county.engine, tmp_path, "cases", "materials", str(helped), "--received", "药品经营许可证重新审查发证申请表"
    )

    assert events(county, helped, tmp_path) == [], "the waiting request is cancelled, no reminder follows"


def test_the_lapsed_list_names_each_licence_and_the_department_that_cancels_it(county: County, tmp_path: Path) -> None:
    report = renewal_round(county.engine, county.types, county.calendar, RenewalSettings(), AS_OF, NOW)
    output = tmp_path / "lapsed.csv"

    proactive(county.engine, tmp_path, "cases", "lapsed", "--output", str(output))

    rows = list(csv.DictReader(output.open(encoding="utf-8-sig")))
    assert len(rows) == report.lapsed > 0
    by_type = {row["许可类别"]: row["注销部门"] for row in rows}
    assert by_type.get("烟草专卖零售许可证", "鄂托克旗烟草专卖局") == "鄂托克旗烟草专卖局"
    assert all(row["有效期至"] < AS_OF.isoformat() for row in rows)
    assert {row["逾期登记时间"] for row in rows} == {"2026-11-25 09:00"}, "the round's moment, in Beijing time"
