"""Fault injection: busy errors, their seed, changing faults on a running instance, the sandbox-only switch."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox.platform.app import create_app
from sandbox.platform.db import APPLICANT, seed_user
from sandbox.platform.layouts import BUSY_MESSAGE
from sandbox.platform.settings import PlatformSettings
from tests.platform.conftest import FOOD, Portal, alerts

PAGES = ["/login", "/approver/login", "/applicant", "/approver", "/applications/new/food_renewal", "/api/issuers"]


def test_an_error_rate_of_one_fails_everything_but_the_health_check(tmp_path: Path) -> None:
    with TestClient(create_app(PlatformSettings(db_path=tmp_path / "p.db", error_rate=1.0))) as client:
        for path in PAGES:
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 500 and alerts(response.text) == [BUSY_MESSAGE], path
        assert client.post("/login", data={}).status_code == 500
        assert client.get("/healthz").json() == {"status": "ok"}


def test_faults_change_on_a_running_instance(portal: Portal) -> None:
    changed = portal.client.post("/_sandbox/faults", json={"error_rate": 1.0}).json()
    assert changed["error_rate"] == 1.0 and changed["layout"] == "standard"
    assert portal.get("/applicant").status_code == 500
    portal.client.post("/_sandbox/faults", json={"error_rate": 0.0})
    assert portal.get("/applicant").status_code == 200


def test_a_bad_fault_value_changes_nothing(client: TestClient) -> None:
    response = client.post("/_sandbox/faults", json={"error_rate": 0.5, "slow_ms": -1})
    assert response.status_code == 422
    assert client.get("/_sandbox/faults").json()["error_rate"] == 0.0


def test_the_layout_can_be_switched_while_running(client: TestClient) -> None:
    client.post("/_sandbox/faults", json={"layout": "alternate"})
    assert '<label for="username">账号</label>' in client.get("/login").text


def test_the_same_seed_fails_the_same_requests(tmp_path: Path) -> None:
    def outcomes(name: str) -> list[int]:
        settings = PlatformSettings(db_path=tmp_path / name, error_rate=0.5, seed=7)
        with TestClient(create_app(settings)) as client:
            return [client.get("/api/issuers").status_code for _ in range(30)]

    first = outcomes("a.db")
    assert first == outcomes("b.db") and {200, 500} == set(first)


def test_a_lost_answer_after_submission_is_caught_by_the_duplicate_guard(portal: Portal) -> None:
    confirm = portal.fill("food_renewal", FOOD)
    portal.client.post("/_sandbox/faults", json={"error_rate": 1.0, "error_phase": "after"})
    assert portal.post(confirm, {}, action="submit").status_code == 500
    portal.client.post("/_sandbox/faults", json={"error_rate": 0.0})
    [row] = portal.client.get("/_sandbox/applications").json()
    retry = portal.post(confirm, {}, action="submit")
    assert alerts(retry.text) == [f"请修改以下问题： 该申请参考号已提交过申请：{row['application_no']}"]


def test_latency_is_added_up_to_slow_ms(tmp_path: Path) -> None:
    draws, planned = random.Random(3), 0.0
    for _ in range(5):
        planned += draws.random() * 0.04
        draws.random()  # each request also draws its error roll
    with TestClient(create_app(PlatformSettings(db_path=tmp_path / "p.db", slow_ms=40, seed=3))) as client:
        started = time.perf_counter()
        assert all(client.get("/api/issuers").status_code == 200 for _ in range(5))
        assert time.perf_counter() - started >= planned


@pytest.mark.parametrize("path", ["/_sandbox/faults", "/_sandbox/applications"])
def test_the_sandbox_endpoints_exist_only_when_enabled(tmp_path: Path, path: str) -> None:
    with TestClient(create_app(PlatformSettings(db_path=tmp_path / "p.db"))) as client:
        assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/no-such-page", "/drafts/abc/steps/1"])
def test_an_unknown_page_is_an_html_page(portal: Portal, path: str) -> None:
    response = portal.get(path)
    assert response.status_code == 404 and alerts(response.text) == ["页面不存在或无权查看"]


def test_another_applicants_draft_and_application_are_not_found(app: FastAPI, portal: Portal) -> None:
    with app.state.platform.sessions() as db:
        seed_user(db, "other", "other-pass", APPLICANT)
    step_2 = portal.start("food_renewal", FOOD).headers["location"]
    number = portal.submit("food_renewal", {**FOOD, "reference": "CASE-0009"})
    other = Portal(TestClient(app))
    other.login("other", "other-pass")
    assert other.get(step_2).status_code == 404 and other.get(f"/applications/{number}").status_code == 404
    assert number not in other.get("/applicant").text
