"""The expiry scan: windows counted in Chinese working days, one case per licence expiry, nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select, update

from domain.licence_types import LicenceType
from domain.scan.run import ScanReport, run_scan
from domain.scan.windows import add_windows
from ground.calendar import CalendarYearUnknown, UnknownYearPolicy, WorkingDayCalendar
from ground.store.tables import case_transitions, cases, licences, subjects

NOW = datetime(2026, 11, 25, tzinfo=UTC)
TODAY = date(2026, 11, 25)
RULE = WorkingDayCalendar.load(None, UnknownYearPolicy.RULE)  # the default
WEEKDAYS = WorkingDayCalendar.load(None, UnknownYearPolicy.WEEKDAYS)


def frame(expires: str, licence_type: str = "food_business") -> pd.DataFrame:
    return pd.DataFrame(
        {"licence_no": ["JY21506240000001"], "licence_type": [licence_type], "expires_on": pd.to_datetime([expires])}
    )


def test_the_food_licence_window_runs_from_90_to_15_working_days_before_expiry(
    licence_types: dict[str, LicenceType],
) -> None:
    # 15 working days before 2026-10-20: 10-19, 10-12..16, Saturday 10-10 (adjusted working day), 10-09, 10-08
    # (9; the golden week 10-01..07 is off), then 09-30, 29, 28, the Mid-Autumn break 09-25..27 is off, 24, 23, 22.
    windowed = add_windows(frame("2026-10-20"), licence_types, RULE, TODAY)

    assert windowed["window_closes_on"][0] == pd.Timestamp("2026-09-22")
    assert not windowed["calendar_assumed"][0]
    assert "第78号" in windowed["window_reference"][0]


def test_a_window_reaching_into_an_unpublished_year_is_counted_by_rule_and_flagged(
    licence_types: dict[str, LicenceType],
) -> None:
    windowed = add_windows(frame("2027-03-31"), licence_types, RULE, TODAY)

    assert windowed["calendar_assumed"][0]
    # 90 working days back, with 元旦 and 除夕..初三 of 2027 off by rule: three days earlier than Monday-Friday.
    assert windowed["window_opens_on"][0] == pd.Timestamp("2026-11-20")


def test_the_weekdays_option_counts_an_unpublished_year_monday_to_friday(
    licence_types: dict[str, LicenceType],
) -> None:
    windowed = add_windows(frame("2027-03-31"), licence_types, WEEKDAYS, TODAY)

    assert windowed["calendar_assumed"][0]
    assert windowed["window_opens_on"][0] == pd.Timestamp("2026-11-25")  # 90 weekdays back


def test_the_stop_policy_refuses_to_guess_an_unpublished_year(licence_types: dict[str, LicenceType]) -> None:
    strict = WorkingDayCalendar.load(None, UnknownYearPolicy.STOP)

    with pytest.raises(CalendarYearUnknown, match="2027"):
        add_windows(frame("2027-03-31"), licence_types, strict, TODAY)


def test_a_holiday_file_for_2027_makes_the_window_exact(licence_types: dict[str, LicenceType], tmp_path: Path) -> None:
    (tmp_path / "2027.yaml").write_text(
        "year: 2027\nreference: 国务院办公厅通知（测试用）\n"
        "holidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\n",
        encoding="utf-8",
    )
    calendar = WorkingDayCalendar.load(tmp_path, UnknownYearPolicy.STOP)

    windowed = add_windows(frame("2027-01-05"), licence_types, calendar, TODAY)

    assert not windowed["calendar_assumed"][0]
    assert windowed["window_closes_on"][0] == pd.Timestamp("2026-12-14")  # 15 working days, New Year skipped


def test_drug_licence_windows_are_counted_in_months(licence_types: dict[str, LicenceType]) -> None:
    windowed = add_windows(frame("2027-08-31", "drug_retail"), licence_types, RULE, TODAY)

    assert (windowed["window_opens_on"][0], windowed["window_closes_on"][0]) == (
        pd.Timestamp("2027-02-28"),
        pd.Timestamp("2027-06-30"),
    )


def add_licence(
    store: Engine, number: str, expires: date, status: str = "valid", subject_status: str = "active"
) -> None:
    key = f"S-{number}"
    with store.begin() as connection:
        connection.execute(
            licences.insert().values(
                licence_no=number,
                subject_key=key,
                licence_type="food_business",
                holder_name="乌兰镇老王餐饮店",
                expires_on=expires,
                status=status,
                source="test",
                row_hash="x",
                updated_at=NOW,
            )
        )
        connection.execute(
            subjects.insert().values(
                subject_key=key, name="老王", status=subject_status, source="test", row_hash="x", updated_at=NOW
            )
        )


def scan(
    store: Engine, types: dict[str, LicenceType], as_of: date = TODAY, calendar: WorkingDayCalendar = RULE
) -> ScanReport:
    return run_scan(store, types, calendar, as_of, NOW)


def case_warnings(store: Engine) -> dict[str, str | None]:
    with store.connect() as connection:
        return dict(connection.execute(select(cases.c.natural_key, cases.c.calendar_warning)).all())  # type: ignore[arg-type]


def case_states(store: Engine) -> dict[str, str]:
    with store.connect() as connection:
        return dict(connection.execute(select(cases.c.natural_key, cases.c.state)).all())  # type: ignore[arg-type]


def test_only_renewable_licences_entering_their_window_get_a_case(
    store: Engine, licence_types: dict[str, LicenceType]
) -> None:
    add_licence(store, "JY21506240000001", date(2027, 3, 1))  # window open
    add_licence(store, "JY21506240000002", date(2028, 3, 1))  # far off
    add_licence(store, "JY21506240000003", date(2027, 3, 1), status="revoked")
    add_licence(store, "JY21506240000004", date(2027, 3, 1), status="cancelled")
    add_licence(store, "JY21506240000005", date(2027, 3, 1), subject_status="deregistered")
    add_licence(store, "JY21506240000006", date(2026, 11, 1))  # lapsed last month: still chased
    add_licence(store, "JY21506240000007", date(2025, 1, 1))  # lapsed long ago

    report = scan(store, licence_types)

    assert sorted(case_states(store)) == ["renewal:JY21506240000001:2027-03-01", "renewal:JY21506240000006:2026-11-01"]
    assert report.calendar_assumed == 1  # the 2027 expiry


@pytest.mark.parametrize(
    ("calendar", "on_the_case", "to_the_operator"),
    [
        # the default: statutory holidays by rule, still provisional because 调休 cannot be known
        (RULE, "2027年节假日安排未公布：按《全国年节及纪念日放假办法》计入法定节假日，调休上班日未知", "by rule"),
        # the explicit option: no holidays at all
        (WEEKDAYS, "2027年节假日安排未公布：按周一至周五计算工作日", "Monday-Friday"),
    ],
    ids=["rule", "weekdays"],
)
def test_a_case_in_an_unpublished_year_says_how_its_window_was_counted(
    store: Engine,
    licence_types: dict[str, LicenceType],
    calendar: WorkingDayCalendar,
    on_the_case: str,
    to_the_operator: str,
) -> None:
    add_licence(store, "JY21506240000001", date(2027, 3, 1))
    add_licence(store, "JY21506240000006", date(2026, 11, 1))

    report = scan(store, licence_types, calendar=calendar)

    warnings = case_warnings(store)
    assert warnings["renewal:JY21506240000006:2026-11-01"] is None
    assert (warnings["renewal:JY21506240000001:2027-03-01"] or "").startswith(on_the_case)
    assert "待补充节假日文件后自动重算" in (warnings["renewal:JY21506240000001:2027-03-01"] or "")
    assert len(report.warnings) == 1
    assert to_the_operator in report.warnings[0]
    assert "provisional" in report.warnings[0]


def test_scanning_twice_changes_nothing(store: Engine, licence_types: dict[str, LicenceType]) -> None:
    add_licence(store, "JY21506240000001", date(2027, 3, 1))
    scan(store, licence_types)
    with store.connect() as connection:
        ledger_before = connection.execute(select(case_transitions.c.id)).all()

    again = scan(store, licence_types)

    assert (again.created, again.refreshed, again.withdrawn, again.unchanged) == (0, 0, 0, 1)
    with store.connect() as connection:
        assert connection.execute(select(case_transitions.c.id)).all() == ledger_before


def test_a_case_is_withdrawn_when_its_licence_is_revoked(store: Engine, licence_types: dict[str, LicenceType]) -> None:
    add_licence(store, "JY21506240000001", date(2027, 3, 1))
    scan(store, licence_types)
    with store.begin() as connection:
        connection.execute(update(licences).values(status="revoked"))

    report = scan(store, licence_types)

    assert report.withdrawn == 1
    assert case_states(store) == {"renewal:JY21506240000001:2027-03-01": "withdrawn"}
    with store.connect() as connection:
        reason = connection.execute(
            select(case_transitions.c.reason).where(case_transitions.c.new_state == "withdrawn")
        )
        assert reason.scalar_one() == "licence status is now revoked"


def test_a_licence_renewed_elsewhere_closes_the_old_case(store: Engine, licence_types: dict[str, LicenceType]) -> None:
    add_licence(store, "JY21506240000001", date(2027, 3, 1))
    scan(store, licence_types)
    with store.begin() as connection:
        connection.execute(update(licences).values(expires_on=date(2032, 2, 29)))

    scan(store, licence_types)

    assert case_states(store) == {"renewal:JY21506240000001:2027-03-01": "withdrawn"}


def test_a_returned_case_whose_licence_was_renewed_at_a_counter_is_withdrawn(
    store: Engine, licence_types: dict[str, LicenceType]
) -> None:
    # Left open, the renewal round would lapse it on its old expiry and tell the holder a renewed licence expired.
    add_licence(store, "JY21506240000001", date(2027, 3, 1))
    scan(store, licence_types)
    with store.begin() as connection:
        connection.execute(update(cases).values(state="returned"))
        connection.execute(update(licences).values(expires_on=date(2032, 3, 1)))

    scan(store, licence_types)

    assert case_states(store) == {"renewal:JY21506240000001:2027-03-01": "withdrawn"}


def test_a_returned_case_stays_when_its_licence_is_revoked(
    store: Engine, licence_types: dict[str, LicenceType]
) -> None:
    # The approver has acted: only a renewal some other way closes a returned case without a person.
    add_licence(store, "JY21506240000001", date(2027, 3, 1))
    scan(store, licence_types)
    with store.begin() as connection:
        connection.execute(update(cases).values(state="returned"))
        connection.execute(update(licences).values(status="revoked"))

    scan(store, licence_types)

    assert case_states(store) == {"renewal:JY21506240000001:2027-03-01": "returned"}
