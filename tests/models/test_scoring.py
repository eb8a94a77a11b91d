"""Scoring new cases and routing them with it: every case gets a score and reasons, the ledger records it all."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select, text

from agent.routing import route_new_renewals
from domain.routing.rules import OFFLINE_RULE, decide_routes
from ground.store.tables import case_transitions, cases
from models.categories import CATEGORIES, RULE_KINDS, rules
from models.config import load_history_words
from models.features import build_features, shipped_features
from models.reasons import effects, reasons
from models.scoring import score_frame
from models.store_io import read_history, read_scoring_history
from tests.models.conftest import AS_OF, NOW, County

FEATURES = shipped_features().names


def test_reasons_name_what_moved_the_score_in_plain_chinese() -> None:
    features = pd.DataFrame(
        {name: [0, 0] for name in FEATURES}
        | {
            "licence_type": "food_business",
            "subject_kind": "individual",
            "last_renewal": "none",
            "penalties_5y": [2, 0],
            "penalties_serious_5y": [1, 0],
            "last_penalty_year": [2025, 0],
            "type_label": "食品经营许可证",
        }
    )
    reference = {name: 0.3 for name in FEATURES} | {"licence_type": "food_business", "subject_kind": "individual"}
    reference["last_renewal"] = "none"

    def predict(x: pd.DataFrame) -> np.ndarray:  # a score that only penalties move
        return np.asarray(0.9 - 0.1 * x["penalties_5y"].astype(float))

    texts = reasons(features, effects(predict, features, reference))

    assert texts[0] == [
        {"factor": "penalties", "effect": -0.17, "text": "近5年行政处罚2次（其中严重1次），最近一次在2025年"}
    ]
    assert texts[1] == [{"factor": "penalties", "effect": 0.03, "text": "近5年无行政处罚"}]


def test_each_cases_effects_are_its_own_whatever_is_scored_beside_it() -> None:
    features = pd.DataFrame(
        {name: [0.0, 0.0, 0.0] for name in FEATURES}
        | {"licence_type": "food_business", "subject_kind": "individual", "last_renewal": "none"}
        | {"penalties_5y": [2.0, 0.0, 5.0], "inspections_3y": [1.0, 4.0, 0.0], "complaints_3y": [0.0, 3.0, 1.0]},
        index=[10, 11, 12],
    )
    reference: dict[str, Any] = {name: 0.0 for name in FEATURES}
    reference |= {"penalties_5y": 1.0, "inspections_3y": 2.0, "complaints_3y": 0.5}
    reference |= {"licence_type": "food_business", "subject_kind": "individual", "last_renewal": "none"}

    def predict(x: pd.DataFrame) -> np.ndarray:  # each group moves the score by its own weight
        return np.asarray(0.5 - 0.05 * x["penalties_5y"] + 0.02 * x["inspections_3y"] - 0.1 * x["complaints_3y"])

    found = effects(predict, features, reference)

    assert list(found.index) == [10, 11, 12]
    assert found["penalties"].round(6).tolist() == [-0.05, 0.05, -0.2]
    assert found["inspections"].round(6).tolist() == [-0.02, 0.04, -0.04]
    assert found["complaints"].round(6).tolist() == [0.05, -0.25, -0.05]
    assert (found.drop(columns=["penalties", "inspections", "complaints"]).abs() < 1e-12).all().all()


def test_new_cases_are_routed_once_with_score_reasons_and_a_ledger_entry(county: County) -> None:
    model = county.trained.model
    with county.engine.connect() as connection:
        waiting = connection.execute(select(func.count()).where(cases.c.state == "new")).scalar_one()

    first = route_new_renewals(county.engine, model, load_history_words(), AS_OF, NOW)
    second = route_new_renewals(county.engine, model, load_history_words(), AS_OF, NOW)

    assert first.scored == waiting > 100
    assert second.scored == 0, "a routed case is never scored again"
    assert set(first.by_route) <= {"seamless", "assisted", "remind", "none"} and first.by_route.get("seamless", 0) > 0
    with county.engine.connect() as connection:
        routed = connection.execute(
            select(cases.c.id, cases.c.route, cases.c.score, cases.c.model_version).where(cases.c.state == "routed")
        ).all()
        ledger = connection.execute(
            select(func.count()).where(case_transitions.c.actor == f"scoring:{model.version}")
        ).scalar_one()
        raw = connection.execute(text("SELECT reasons FROM cases WHERE state = 'routed'")).scalars().all()
    assert len(routed) == waiting == ledger
    assert all(r.model_version == model.version and 0 <= r.score <= 1 for r in routed)
    stored = [json.loads(value) for value in raw]  # strict JSON: no NaN sneaks in
    assert all(entry["factors"] and all(f["text"] for f in entry["factors"]) for entry in stored)


def test_a_case_with_an_open_penalty_is_only_reminded_whatever_its_score(county: County) -> None:
    route_new_renewals(county.engine, county.trained.model, load_history_words(), AS_OF, NOW)  # if not yet routed
    with county.engine.connect() as connection:
        ruled = connection.execute(
            select(cases.c.route, cases.c.reasons).where(cases.c.state == "routed", cases.c.route == "remind")
        ).all()
    by_rule = [r for r in ruled if r.reasons["rule"] == "有未结案的行政处罚，不适用无感续证"]
    assert by_rule, "the county has open penalties among its due licences"


def test_the_scoring_read_leaves_out_only_events_that_cannot_count_on_the_scoring_date(county: County) -> None:
    words = load_history_words()
    with county.engine.connect() as connection:
        whole = read_history(connection, words)
        scoring = read_scoring_history(connection, AS_OF, words)
    targets = pd.DataFrame({"licence_no": whole.licences["licence_no"], "as_of": pd.Timestamp(AS_OF)})

    assert len(scoring.events) < 0.7 * len(whole.events)
    pd.testing.assert_frame_equal(build_features(targets, scoring), build_features(targets, whole))


def test_the_category_list_follows_the_rules() -> None:
    assert [rule.category for rule in rules(load_history_words())] == CATEGORIES


def test_a_type_the_platform_does_not_file_online_is_never_seamless_and_says_why(county: County) -> None:
    words = load_history_words()
    with county.engine.connect() as connection:
        history = read_scoring_history(connection, AS_OF, words)
        numbers = pd.Series(
            connection.execute(select(cases.c.licence_no).where(cases.c.kind == "renewal")).scalars().all()
        )
    scored = score_frame(county.trained.model, history, numbers, AS_OF)
    thresholds = county.trained.model.thresholds
    online, offline = decide_routes(scored, thresholds), decide_routes(scored, thresholds, frozenset({"food_business"}))

    food = scored["licence_type"] == "food_business"
    would_be_seamless = (online["route"] == "seamless") & food
    assert would_be_seamless.sum() > 0
    assert (offline.loc[would_be_seamless, "route"] == "assisted").all()
    assert (offline.loc[would_be_seamless, "rule"] == OFFLINE_RULE).all()
    others = ~food
    assert (offline.loc[others, "route"] == online.loc[others, "route"]).all(), "other types keep their route"
    assert [rule.kind for rule in rules(load_history_words())] == RULE_KINDS


def test_a_small_scoring_read_in_this_process_gives_the_features_the_child_processes_give(county: County) -> None:
    """A night's few new renewals are read in the scoring process (on SQLite, a large read is read by child
    processes): the features, and so the scores and routes, are the same either way."""
    words = load_history_words()
    with county.engine.connect() as connection:
        apart = read_scoring_history(connection, AS_OF, words)
        here = read_scoring_history(connection, AS_OF, words, small=True)
    targets = pd.DataFrame({"licence_no": apart.licences["licence_no"], "as_of": pd.Timestamp(AS_OF)})

    assert len(here.events) == len(apart.events) > 0
    pd.testing.assert_frame_equal(build_features(targets, here), build_features(targets, apart))
