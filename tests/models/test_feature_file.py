"""Features declared in a file: typed attributes, any event kind and window, as of a date, blind to the future."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from ground.store import open_store
from ground.store.tables import licence_events, licences, subjects
from ground.yaml_files import YamlFileError
from models.config import load_history_words
from models.feature_file import FeatureFile, load_features
from models.features import build_features
from models.store_io import read_history, read_scoring_history

AS_OF = pd.Timestamp("2026-11-25")
NOW = datetime(2026, 11, 25, tzinfo=UTC)
L1, L2, L3 = "JY11506240000001", "JY11506240000002", "JY11506240000003"
FEATURES = """\
name: graded
description: a source with a risk grade and counts per inspection
attributes:
  events: {nonconformities: number, inspector_unit: category}
  licences: {risk_grade: category}
features:
  - {name: worst_3y, kind: max, group: grade, label: 近3年单次最多不符合项, event_kinds: [inspection],
     attribute: nonconformities, years: 3}
  - {name: mean_3y, kind: mean, group: grade, label: 近3年平均不符合项, event_kinds: [inspection],
     attribute: nonconformities, years: 3}
  - {name: last_count, kind: last, group: grade, label: 最近一次不符合项, event_kinds: [inspection],
     attribute: nonconformities}
  - {name: last_unit, kind: last, group: grade, label: 最近一次检查单位, event_kinds: [inspection],
     attribute: inspector_unit}
  - {name: days_since_inspection, kind: days_since, group: grade, label: 距上次检查天数, event_kinds: [inspection]}
  - {name: inspections_10y, kind: count, group: grade, label: 近10年检查次数, event_kinds: [inspection], years: 10}
  - {name: risk_grade, kind: licence, group: grade, label: 风险等级, attribute: risk_grade}
  - {name: other_licences, kind: other_licences, group: grade, label: 同一主体其他许可证}
"""
# (licence, day, nonconformities, inspector's unit)
PAST = [
    (L1, "2015-03-01", 0, "乌兰所"),  # 11 years back: counts for the last value, not for the 10-year count
    (L1, "2019-03-01", 9, "乌兰所"),  # over 3 years back: in the 10-year count only
    (L1, "2024-06-01", 2, "棋盘井所"),
    (L1, "2026-03-01", 4, "乌兰所"),
    (L2, "2026-01-01", 1, "乌兰所"),
]


def feature_file(tmp_path: Path, text: str = FEATURES) -> FeatureFile:
    path = tmp_path / "features.yaml"
    path.write_text(text, encoding="utf-8")
    return load_features(path)


def store_with(events: list[tuple[str, str, int, str]]) -> Engine:
    """Licences L1 and L3 of subject S1 (L3 issued after the scoring date), L2 of S2, with inspections."""
    store = open_store("sqlite://")
    with store.begin() as connection:
        connection.execute(
            insert(licences),
            [
                _licence(L1, "S1", date(2022, 1, 10), {"risk_grade": "C"}),
                _licence(L2, "S2", date(2023, 1, 10), None),
                _licence(L3, "S1", date(2027, 2, 1), {"risk_grade": "A"}),
            ],
        )
        connection.execute(insert(subjects), [_subject("S1"), _subject("S2")])
        connection.execute(
            insert(licence_events),
            [
                {
                    "event_key": f"e{i}",
                    "licence_no": number,
                    "kind": "inspection",
                    "occurred_on": date.fromisoformat(day),
                    "outcome": "符合",
                    "attributes": {"nonconformities": count, "inspector_unit": unit},
                    "source": "test",
                }
                for i, (number, day, count, unit) in enumerate(events)
            ],
        )
    return store


def _licence(number: str, subject: str, valid_from: date, attributes: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "licence_no": number,
        "subject_key": subject,
        "licence_type": "food_business",
        "holder_name": "某某餐馆",
        "valid_from": valid_from,
        "expires_on": date(2030, 1, 9),
        "status": "valid",
        "attributes": attributes,
        "source": "test",
        "row_hash": number,
        "updated_at": NOW,
    }


def _subject(key: str) -> dict[str, Any]:
    return {
        "subject_key": key,
        "name": "某某餐馆",
        "status": "active",
        "source": "test",
        "row_hash": key,
        "updated_at": NOW,
    }


def features(spec: FeatureFile, events: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    with store_with(events).connect() as connection:
        history = read_history(connection, load_history_words(), spec=spec)
    targets = pd.DataFrame({"licence_no": [L1, L2], "as_of": [AS_OF, AS_OF]})
    return build_features(targets, history, spec)[spec.names]


def test_declared_attributes_give_statistics_over_windows_as_of_the_date(tmp_path: Path) -> None:
    f = features(feature_file(tmp_path), PAST)

    first = f.iloc[0]
    assert (first["worst_3y"], first["mean_3y"], first["last_count"]) == (4.0, 3.0, 4.0)
    assert (first["last_unit"], first["risk_grade"], first["inspections_10y"]) == ("乌兰所", "C", 3)
    assert first["days_since_inspection"] == (AS_OF - pd.Timestamp("2026-03-01")).days
    assert first["other_licences"] == 0, "L3 is issued after the scoring date"
    assert f.iloc[1]["risk_grade"] == "unknown"


@pytest.mark.parametrize("days_after", [0, 1, 400])
def test_events_on_or_after_the_date_move_no_declared_feature(tmp_path: Path, days_after: int) -> None:
    spec = feature_file(tmp_path)
    day = (AS_OF + pd.Timedelta(days=days_after)).strftime("%Y-%m-%d")
    future = [(L1, day, 50, "鄂托克旗局"), (L2, day, 30, "鄂托克旗局")]
    rng = np.random.default_rng(7)
    shuffled = [(*event[:2], int(rng.integers(0, 99)), "别处") for event in future]

    before = features(spec, PAST)

    pd.testing.assert_frame_equal(before, features(spec, PAST + future))
    pd.testing.assert_frame_equal(before, features(spec, future[::-1] + PAST + shuffled))


def test_scoring_reads_every_event_a_long_window_needs(tmp_path: Path) -> None:
    """The scoring read leaves old passed inspections out only when no feature looks that far back."""
    spec = feature_file(tmp_path)
    with store_with(PAST).connect() as connection:
        whole = read_history(connection, load_history_words(), spec=spec)
        scoring = read_scoring_history(connection, AS_OF.date(), load_history_words(), spec=spec)
    targets = pd.DataFrame({"licence_no": [L1, L2], "as_of": [AS_OF, AS_OF]})

    pd.testing.assert_frame_equal(build_features(targets, scoring, spec), build_features(targets, whole, spec))


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ("attribute: nonconformities, years: 3}", 8, "unknown events attribute 'nonconformity'"),
        ("attribute: risk_grade}", 17, "unknown licences attribute 'risk_grades'"),
        ("event_kinds: [inspection], years: 10}", 16, "unknown event kinds \\['inspections'\\]"),
    ],
)
def test_a_feature_naming_an_unknown_attribute_or_kind_stops_at_its_file_and_line(
    tmp_path: Path, change: str, line: int, message: str
) -> None:
    wrong = {
        "attribute: nonconformities, years: 3}": "attribute: nonconformity, years: 3}",
        "attribute: risk_grade}": "attribute: risk_grades}",
        "event_kinds: [inspection], years: 10}": "event_kinds: [inspections], years: 10}",
    }[change]
    with pytest.raises(YamlFileError, match=rf"features\.yaml: line {line}: .*{message}"):
        feature_file(tmp_path, FEATURES.replace(change, wrong, 1))


def test_a_statistic_of_a_category_and_a_group_without_words_or_labels_are_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlFileError, match=r"the max of a non-number attribute"):
        feature_file(tmp_path, FEATURES.replace("last_unit, kind: last", "last_unit, kind: max", 1))
    with pytest.raises(YamlFileError, match=r"needs a Chinese label"):
        feature_file(tmp_path, FEATURES.replace(", label: 风险等级", "", 1))
