"""The chase round on SQLite and PostgreSQL: an overdue case chased once a day at most, recorded in `chases` and
the ledger, escalated to the supervisor, stopped by the decision, chased afresh once filed again."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select

from ground.cases.lifecycle import State
from ground.cases.moves import move_case
from ground.store.tables import case_transitions, cases
from tests.chasing.conftest import Filer, at, chase_rows, run_chases


def test_an_overdue_case_is_chased_once_and_the_chase_is_in_the_ledger(store: Engine, file_case: Filer) -> None:
    case_id = file_case()
    first, again = run_chases(store, "2026-10-09"), run_chases(store, "2026-10-09")

    assert first.as_counts() == {"chased contact": 1} and again.as_counts() == {}
    (chase,) = chase_rows(store)
    assert (chase["case_id"], chase["number"], chase["level"]) == (case_id, 1, "contact")
    assert (chase["recipient_name"], chase["recipient_mobile"]) == ("王丽娜", "+8613904770101")
    assert (chase["department"], chase["waited_working_days"]) == ("鄂托克旗市场监督管理局", 2)
    with store.connect() as connection:
        entry = connection.execute(select(case_transitions).where(case_transitions.c.actor == "chase")).mappings().one()
    assert (entry["case_id"], entry["old_state"], entry["new_state"]) == (case_id, "prefilled", "prefilled")
    assert entry["reason"].startswith("chase 1 sent to 鄂托克旗市场监督管理局 (contact: 王丽娜)")


def test_a_case_within_its_promise_is_not_chased(store: Engine, file_case: Filer) -> None:
    file_case()
    assert run_chases(store, "2026-10-08").as_counts() == {}  # the first working day after National Day
    assert chase_rows(store) == []


def test_the_contact_is_chased_at_the_interval_then_the_supervisor(store: Engine, file_case: Filer) -> None:
    file_case()
    for day in ("2026-10-09", "2026-10-10", "2026-10-11", "2026-10-12", "2026-10-12"):
        run_chases(store, day)
    chased = [(row["number"], row["level"], row["recipient_name"], row["at"].day) for row in chase_rows(store)]
    assert chased == [(1, "contact", "王丽娜", 9), (2, "contact", "王丽娜", 10), (3, "supervisor", "李建军", 12)]


def test_chasing_stops_when_the_decision_arrives(store: Engine, file_case: Filer) -> None:
    case_id = file_case()
    run_chases(store, "2026-10-09")
    with store.begin() as connection:
        move_case(connection, case_id, State.APPROVED, "approved", "bot:status_sync", at("2026-10-09", "15:00"))
    assert run_chases(store, "2026-10-10").as_counts() == {}
    assert len(chase_rows(store)) == 1


def test_a_case_filed_again_after_a_return_is_chased_afresh(store: Engine, file_case: Filer) -> None:
    case_id = file_case()
    run_chases(store, "2026-10-09")
    with store.begin() as connection:
        for state, day in (
            (State.RETURNED, "2026-10-09"),
            (State.ROUTED, "2026-10-12"),
            (State.CONSENTED, "2026-10-12"),
        ):
            move_case(connection, case_id, state, str(state), "test", at(day, "11:00"))
        move_case(connection, case_id, State.PREFILLED, "filed again", "bot:prefill", at("2026-10-12", "14:00"))
    assert run_chases(store, "2026-10-13").as_counts() == {}  # one working day since the new filing
    run_chases(store, "2026-10-14")
    numbers = [(row["number"], row["waited_working_days"]) for row in chase_rows(store)]
    assert numbers == [(1, 2), (1, 2)]  # the second filing's first chase


def test_a_subsidy_is_chased_at_its_department_after_its_own_promise(store: Engine) -> None:
    with store.begin() as connection:
        inserted = connection.execute(
            insert(cases).values(
                natural_key="subsidy:x:high_tech_award:2026",
                kind="subsidy",
                state="consented",
                route="seamless",
                policy_id="high_tech_award",
                trace={"policy": {"title": "高新技术企业认定奖励"}},
                created_at=at("2026-09-01"),
                updated_at=at("2026-09-01"),
            )
        )
        case_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        move_case(connection, case_id, State.PREFILLED, "filed", "bot:prefill", at("2026-09-30"), application_no="SQ9")
    # 09-30, 10-08, 10-09, 10-10 (调休), 10-12: five working days by 10-13, still within the promise of 5
    assert run_chases(store, "2026-10-13").as_counts() == {}
    assert run_chases(store, "2026-10-14").as_counts() == {"chased contact": 1}
    (chase,) = chase_rows(store)
    assert (chase["department"], chase["recipient_name"]) == ("鄂托克旗科学技术局", "陈静")
    assert chase["context"]["matter"] == "高新技术企业认定奖励"


def test_a_matter_no_department_decides_is_named_not_chased(store: Engine, file_case: Filer) -> None:
    case_id = file_case()
    with store.begin() as connection:
        connection.execute(cases.update().where(cases.c.id == case_id).values(licence_type="us_city_business"))
    report = run_chases(store, "2026-10-12")
    assert report.as_counts() == {} and chase_rows(store) == []
    assert report.warnings == [
        f"case {case_id} waits on its approver but is not chased: licence type us_city_business has no approving "
        "department or no promised time"
    ]
