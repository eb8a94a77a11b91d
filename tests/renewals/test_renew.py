"""After the approver's confirmation, the licence is renewed in our records: the licence row, the electronic licence
and the case's move to done in one transaction, by the type's rule; never when the licence changed meanwhile."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from domain.renewals.renew import LicenceChanged, renew_licence
from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.store.tables import case_transitions, cases, e_licences, licences
from tests.renewals.conftest import County

SHANGHAI = ZoneInfo("Asia/Shanghai")
DECIDED = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)  # 01:30 on 26 November in Beijing: the decision's day there


def approved_case(county: County, licence_type: str) -> dict[str, Any]:
    with county.engine.begin() as connection:
        case_id = connection.execute(
            select(cases.c.id)
            .where(cases.c.licence_type == licence_type, cases.c.expires_on > date(2026, 12, 31))
            .order_by(cases.c.id)
            .limit(1)
        ).scalar_one()
        connection.execute(update(cases).where(cases.c.id == case_id).values(state="prefilled", application_no="SQ1"))
        move_case(connection, case_id, State.APPROVED, "approved", "test", DECIDED, decided_at=DECIDED)
        return dict(connection.execute(select(cases).where(cases.c.id == case_id)).mappings().one())


def test_a_food_licence_is_renewed_from_the_decision_with_its_electronic_licence_and_the_case_done(
    county: County,
) -> None:
    case = approved_case(county, "food_business")
    with county.engine.begin() as connection:
        term = renew_licence(connection, int(case["id"]), county.types["food_business"], DECIDED, SHANGHAI, DECIDED)

    assert term == (date(2026, 11, 26), date(2031, 11, 25))
    with county.engine.connect() as connection:
        licence = connection.execute(select(licences).where(licences.c.licence_no == case["licence_no"])).one()
        issued = connection.execute(select(e_licences).where(e_licences.c.case_id == case["id"])).one()
        done = connection.execute(select(cases.c.state, cases.c.new_expires_on).where(cases.c.id == case["id"])).one()
        ledger = connection.execute(
            select(case_transitions.c.entity, case_transitions.c.new_state).where(
                case_transitions.c.case_id == case["id"]
            )
        ).all()
    assert (licence.valid_from, licence.expires_on, licence.status) == (*term, "valid")
    assert (issued.valid_from, issued.expires_on) == term and "作出延续许可决定之日" in issued.validity_reference
    assert tuple(done) == ("done", term[1])
    assert ("licence", None) in ledger and ("case", "done") in ledger


def test_a_tobacco_licence_runs_on_from_its_old_expiry(county: County) -> None:
    case = approved_case(county, "tobacco_retail")
    with county.engine.begin() as connection:
        term = renew_licence(connection, int(case["id"]), county.types["tobacco_retail"], DECIDED, SHANGHAI, DECIDED)
    old = case["expires_on"]
    assert isinstance(old, date)
    assert term == (old + timedelta(days=1), old.replace(year=old.year + 5))


def test_a_licence_whose_term_changed_meanwhile_is_not_renewed_and_nothing_is_written(county: County) -> None:
    case = approved_case(county, "food_business")
    with county.engine.begin() as connection:
        connection.execute(
            update(licences).where(licences.c.licence_no == case["licence_no"]).values(expires_on=date(2030, 1, 1))
        )
    with pytest.raises(LicenceChanged), county.engine.begin() as connection:
        renew_licence(connection, int(case["id"]), county.types["food_business"], DECIDED, SHANGHAI, DECIDED)

    with county.engine.connect() as connection:
        assert connection.execute(select(e_licences)).all() == []
        assert connection.execute(select(cases.c.state).where(cases.c.id == case["id"])).scalar() == "approved"
