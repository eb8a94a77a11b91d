"""Features as of a date: counted over the right windows, and blind to anything on or after the date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from ground.store import open_store
from ground.store.tables import licence_events, licences, subjects
from models.config import HistoryWords, load_history_words
from models.features import FACTS, History, build_features, shipped_features
from models.store_io import read_history

FEATURES = shipped_features().names

AS_OF = pd.Timestamp("2026-11-25")
NOW = datetime(2026, 11, 25, tzinfo=UTC)
WORDS = load_history_words()


Event = tuple[str | None, str, str, str | None, str | None, str | None]


def history(events: list[Event], words: HistoryWords = WORDS, store: Engine | None = None) -> History:
    """One food licence JY…01 of subject S1 (and an unrelated JY…02 of S2), with the given events:
    (licence_no, kind, date, outcome, severity, detail), stored (in memory unless another store is given) and read
    back as training reads them: the store works out each event's category."""
    store = store or open_store("sqlite://")
    with store.begin() as connection:
        connection.execute(insert(licences), [_licence(i, mobile) for i, mobile in ((1, "+8613912345678"), (2, None))])
        connection.execute(
            insert(subjects),
            [
                _subject("S1", "individual", "乌兰镇", 3, 25.0, date(2012, 5, 1)),
                _subject("S2", "enterprise", "棋盘井镇", 40, 900.0, date(2001, 1, 1)),
            ],
        )
        if events:
            connection.execute(
                insert(licence_events),
                [
                    {
                        "event_key": f"e{i}",
                        "licence_no": number,
                        "subject_key": "S1",
                        "kind": kind,
                        "occurred_on": date.fromisoformat(day),
                        "outcome": outcome,
                        "severity": severity,
                        "detail": detail,
                        "source": "test",
                    }
                    for i, (number, kind, day, outcome, severity, detail) in enumerate(events)
                ],
            )
    with store.connect() as connection:
        return read_history(connection, words)


def _licence(i: int, mobile: str | None) -> dict[str, Any]:
    return {
        "licence_no": f"JY1150624000000{i}",
        "subject_key": f"S{i}",
        "licence_type": "food_business",
        "type_label": "食品经营许可证",
        "holder_name": "某某餐馆",
        "valid_from": date(2022, 1, 10),
        "expires_on": date(2027, 1, 9),
        "status": "valid",
        "mobile": mobile,
        "source": "test",
        "row_hash": str(i),
        "updated_at": NOW,
    }


def _subject(key: str, kind: str, township: str, employees: int, revenue: float, registered: date) -> dict[str, Any]:
    return {
        "subject_key": key,
        "name": "某某餐馆",
        "kind": kind,
        "township": township,
        "employees": employees,
        "revenue_10k_yuan": revenue,
        "registered_on": registered,
        "status": "active",
        "serious_violation_list": False,
        "source": "test",
        "row_hash": key,
        "updated_at": NOW,
    }


def features_of(h: History, as_of: pd.Timestamp = AS_OF) -> pd.Series:
    targets = pd.DataFrame({"licence_no": ["JY11506240000001"], "as_of": [as_of]})
    return build_features(targets, h).iloc[0]


L1 = "JY11506240000001"
PAST: list[Event] = [
    (L1, "inspection", "2026-03-01", "不符合", None, "专项检查"),  # 9 months ago
    (L1, "inspection", "2024-06-01", "不符合", None, None),  # 2.5 years ago
    (L1, "inspection", "2022-06-01", "不符合", None, None),  # 4.5 years ago
    (L1, "inspection", "2025-06-01", "基本符合", None, None),
    (L1, "inspection", "2025-09-01", "符合", None, None),
    (L1, "penalty", "2023-02-01", "已结案", "严重", None),
    (L1, "penalty", "2019-02-01", "已结案", "一般", None),  # more than 5 years ago
    (L1, "penalty", "2026-10-01", "未结案", "一般", None),
    (L1, "complaint", "2025-01-01", "属实", None, "卫生状况差"),
    (L1, "complaint", "2025-02-01", "不属实", None, "扰民"),
    (L1, "registration_change", "2023-05-01", None, None, "住所变更：旧址→新址"),
    (L1, "registration_change", "2020-05-01", None, None, "法定代表人变更"),  # before the current term
    (L1, "renewal", "2021-11-20", "补正后准予", None, None),
    (None, "abnormal_listed", "2024-03-01", None, None, "未依照规定报送年度报告"),  # subject-level
    ("JY11506240000002", "penalty", "2025-01-01", "已结案", "严重", None),  # another licence's
]


def test_counts_fall_in_their_windows_and_belong_to_the_licence_or_its_subject() -> None:
    f = features_of(history(PAST))

    assert (f["inspections_failed_1y"], f["inspections_failed_3y"], f["inspections_failed_5y"]) == (1, 2, 3)
    assert (f["inspections_3y"], f["inspections_partly_3y"]) == (4, 1)
    assert (f["penalties_3y"], f["penalties_5y"], f["penalties_serious_5y"], f["open_penalties"]) == (1, 2, 1, 1)
    assert (f["complaints_3y"], f["complaints_upheld_3y"]) == (2, 1)
    # changes count from the start of the current term (the 2021 renewal), so the 2020 change is not one
    assert (f["changes_address"], f["changes_legal_rep"], f["changes_scope"]) == (1, 0, 0)
    assert (f["abnormal_now"], f["abnormal_listed_3y"]) == (1, 1)
    assert (f["renewals_before"], f["renewals_corrected"], f["last_renewal"]) == (1, 1, "corrected")
    assert (f["last_failed_inspection_year"], f["last_penalty_year"]) == (2026, 2026)
    assert (f["has_mobile"], f["subject_kind"], f["township"]) == (1, "individual", "乌兰镇")


def test_a_clean_history_has_nothing_against_it() -> None:
    f = features_of(history([(L1, "inspection", "2025-09-01", "符合", None, None)]))

    counted = [
        name for name in FEATURES if name.startswith(("inspections_failed", "penalties", "complaints", "changes"))
    ]
    assert all(f[name] == 0 for name in counted)
    assert (f["last_renewal"], f["abnormal_now"]) == ("none", 0)


FUTURE_KINDS: list[tuple[str, str | None, str | None, str | None]] = [
    ("inspection", "不符合", None, None),
    ("penalty", "未结案", "严重", None),
    ("complaint", "属实", None, None),
    ("registration_change", None, None, "经营范围变更"),
    ("renewal", "不予延续", None, None),
    ("abnormal_listed", None, None, None),
]


@pytest.mark.parametrize("days_after", [0, 1, 400])
def test_events_on_or_after_the_scoring_date_change_no_feature(days_after: int) -> None:
    day = (AS_OF + pd.Timedelta(days=days_after)).strftime("%Y-%m-%d")
    future: list[Event] = [
        (L1 if kind != "abnormal_listed" else None, kind, day, outcome, severity, detail)
        for kind, outcome, severity, detail in FUTURE_KINDS
    ]

    before = features_of(history(PAST))
    with_future = features_of(history(PAST + future))

    pd.testing.assert_series_equal(before[FEATURES + FACTS], with_future[FEATURES + FACTS])


def test_each_target_sees_its_own_past_when_one_licence_is_scored_at_several_dates() -> None:
    h = history(PAST)
    targets = pd.DataFrame({"licence_no": [L1, L1], "as_of": pd.to_datetime(["2023-01-01", "2026-11-25"])})

    f = build_features(targets, h)

    assert list(f["penalties_5y"]) == [1, 2]  # 2019 only, then 2023 and 2026 (2019 is over 5 years back)
    assert list(f["renewals_before"]) == [1, 1]
    assert np.array_equal(f.index, targets.index)


def test_targets_built_together_get_the_features_each_gets_alone() -> None:
    # Interleaved licences, one of them twice, and one the registry does not know: the joins by position must
    # give every row its own licence, subject and events.
    h = history(PAST)
    targets = pd.DataFrame(
        {
            "licence_no": [L1, "JY11506240000002", L1, "JY11506249999999"],
            "as_of": pd.to_datetime(["2023-01-01", "2026-11-25", "2026-11-25", "2026-11-25"]),
        }
    )

    together = build_features(targets, h)

    for i in range(len(targets)):
        alone = build_features(targets.iloc[[i]], h).iloc[0]
        pd.testing.assert_series_equal(together.iloc[i], alone, check_names=False)
    assert list(together["penalties_5y"]) == [1, 1, 2, 0]
    assert list(together["abnormal_listed_ever"]) == [0, 0, 1, 0]  # the subject's listing is S1's, from 2024


def test_each_event_counts_by_the_first_rule_its_source_words_match_exactly() -> None:
    # Another source's wording: no "partly" inspection result, English change details. A word is matched exactly
    # (not as a pattern, and with its letters' case); an event no rule takes is not counted.
    words = WORDS.model_copy(
        update={
            "inspection": WORDS.inspection.model_copy(update={"partly": []}),
            "registration_change": WORDS.registration_change.model_copy(
                update={"address": ["Address_"], "legal_rep": ["Legal rep"], "scope": ["Scope"]}
            ),
        }
    )
    events: list[Event] = [
        (L1, "inspection", "2025-06-01", "基本符合", None, None),  # passed, for this source
        (L1, "registration_change", "2025-06-01", None, None, "Address_ moved"),
        (L1, "registration_change", "2025-06-02", None, None, "AddressX moved"),  # "_" is not a wildcard
        (L1, "registration_change", "2025-06-03", None, None, "legal rep changed"),  # another case: not the word
        (L1, "registration_change", "2025-06-04", None, None, "Scope widened"),
        (L1, "licence_note", "2025-06-05", "不符合", None, None),  # a kind no rule knows
    ]

    f = features_of(history(events, words))

    assert (f["inspections_3y"], f["inspections_partly_3y"], f["inspections_failed_3y"]) == (1, 0, 0)
    assert (f["changes_address"], f["changes_legal_rep"], f["changes_scope"]) == (1, 0, 1)


def test_the_features_are_the_same_from_a_sqlite_file_and_from_postgresql(store: Engine) -> None:
    # A SQLite file is read by Arrow readers in child processes, PostgreSQL in this process: in both the database
    # works out the categories, and the features must not tell the difference.
    pd.testing.assert_series_equal(features_of(history(PAST, store=store)), features_of(history(PAST)))


# The features as models/features.py built them in code before the feature file (same history, same dates): the
# shipped file must build them the same, name for name and value for value.
BEFORE_THE_FEATURE_FILE = {
    "renewals_before": [1, 0, 1],
    "renewals_corrected": [1, 0, 1],
    "renewals_refused": [0, 0, 0],
    "inspections_3y": [0, 0, 4],
    "inspections_failed_1y": [0, 0, 1],
    "inspections_failed_3y": [0, 0, 2],
    "inspections_failed_5y": [0, 0, 3],
    "inspections_partly_3y": [0, 0, 1],
    "inspections_partly_5y": [0, 0, 1],
    "penalties_3y": [0, 1, 1],
    "penalties_5y": [1, 1, 2],
    "penalties_heavy_5y": [0, 0, 0],
    "penalties_serious_5y": [0, 1, 1],
    "changes_address": [0, 0, 1],
    "changes_legal_rep": [0, 0, 0],
    "changes_scope": [0, 0, 0],
    "abnormal_now": [0, 0, 1],
    "abnormal_listed_3y": [0, 0, 1],
    "abnormal_listed_ever": [0, 0, 1],
    "complaints_3y": [0, 0, 2],
    "complaints_upheld_3y": [0, 0, 1],
    "complaints_upheld_5y": [0, 0, 1],
    "has_mobile": [1, 0, 1],
    "subject_years": [10.0835, 25.8973, 14.5681],
    "employees": [3.0, 40.0, 3.0],
    "revenue_10k_yuan": [25.0, 900.0, 25.0],
    "licence_type": ["food_business", "food_business", "food_business"],
    "subject_kind": ["individual", "enterprise", "individual"],
    "last_renewal": ["corrected", "none", "corrected"],
}


def test_the_shipped_feature_file_builds_the_features_the_code_built_before_it() -> None:
    targets = pd.DataFrame(
        {
            "licence_no": [L1, "JY11506240000002", L1],
            "as_of": pd.to_datetime(["2022-06-01", "2026-11-25", "2026-11-25"]),
        }
    )

    built = build_features(targets, history(PAST))

    assert [name for name in FEATURES if name in BEFORE_THE_FEATURE_FILE] == list(BEFORE_THE_FEATURE_FILE)
    for name, values in BEFORE_THE_FEATURE_FILE.items():
        column = built[name].tolist()
        assert [round(v, 4) if isinstance(v, float) else v for v in column] == values, name
