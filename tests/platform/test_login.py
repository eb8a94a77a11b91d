"""Login, CSRF and session expiry on both areas."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sandbox.platform.layouts import FORBIDDEN_MESSAGE
from tests.platform.conftest import FOOD, Clock, Portal, alerts


def test_it_logs_in_and_lands_on_my_applications(client: TestClient) -> None:
    portal = Portal(client)
    response = portal.login()
    assert response.status_code == 303 and response.headers["location"] == "/applicant"
    cookie = response.headers["set-cookie"]
    assert "platform_sid=" in cookie and "HttpOnly" in cookie
    assert "<h1>我的申请</h1>" in portal.get("/applicant").text


def test_it_refuses_a_wrong_password_with_an_alert(client: TestClient) -> None:
    response = Portal(client).login(password="wrong")
    assert response.status_code == 200 and alerts(response.text) == ["用户名或密码错误"]


def test_an_approver_account_cannot_use_the_applicant_login(client: TestClient) -> None:
    assert alerts(Portal(client).login("approver", "approver-pass").text) == ["用户名或密码错误"]


def test_a_login_without_the_forms_token_is_forbidden(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "agent", "password": "agent-pass", "csrf_token": "forged"})
    assert response.status_code == 403 and alerts(response.text) == [FORBIDDEN_MESSAGE]


def test_every_post_checks_the_sessions_token(portal: Portal) -> None:
    portal.token = "stale"
    response = portal.start("food_renewal", FOOD)
    assert response.status_code == 403 and FORBIDDEN_MESSAGE in alerts(response.text)


def test_pages_need_a_login_and_remember_where_they_were(client: TestClient) -> None:
    response = client.get("/applicant?q=JY11506240012345", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/applicant%3Fq%3DJY11506240012345"
    login_page = client.get(response.headers["location"])
    assert alerts(login_page.text) == [] and 'name="next" value="/applicant?q=JY11506240012345"' in login_page.text


def test_a_forced_expiry_sends_to_login_with_an_alert_and_back_after(client: TestClient) -> None:
    client.post("/_sandbox/faults", json={"expire_every": 3})
    portal = Portal(client)
    portal.login()  # request 1 of the session: /applicant
    assert portal.get("/applications/new/food_renewal").status_code == 200  # request 2
    response = portal.get("/applications/new/subsidy")  # request 3: expired
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/applications/new/subsidy"
    assert alerts(client.get(response.headers["location"]).text) == ["登录已过期，请重新登录"]
    again = portal.login()
    assert again.headers["location"] == "/applicant"


def test_an_expired_session_on_a_post_comes_back_to_the_same_step(client: TestClient) -> None:
    portal = Portal(client)
    portal.login()
    client.post("/_sandbox/faults", json={"expire_every": 1})
    response = portal.start("food_renewal", FOOD)
    assert response.headers["location"] == "/login?next=/applications/new/food_renewal"


def test_a_session_expires_with_age(client: TestClient, clock: Clock) -> None:
    portal = Portal(client)
    portal.login()
    clock.advance(1799)
    assert portal.get("/applicant").status_code == 200
    clock.advance(2)
    assert portal.get("/applicant").headers["location"] == "/login?next=/applicant"
    assert alerts(client.get("/login?next=/applicant").text) == ["登录已过期，请重新登录"]


def test_a_stale_login_form_is_refused(client: TestClient, clock: Clock) -> None:
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    clock.advance(3600)
    response = client.post("/login", data={"username": "agent", "password": "agent-pass", "csrf_token": token})
    assert response.status_code == 403


def test_logout_ends_the_session(portal: Portal) -> None:
    assert portal.post("/logout", {}).headers["location"] == "/login"
    assert portal.get("/applicant").status_code == 303


def test_the_approver_area_has_its_own_login(client: TestClient) -> None:
    assert client.get("/approver", follow_redirects=False).headers["location"] == "/approver/login?next=/approver"
    portal = Portal(client)
    assert portal.login("agent", "agent-pass", area="/approver").status_code == 200
    response = portal.login("approver", "approver-pass", area="/approver")
    assert response.headers["location"] == "/approver"


def test_an_applicant_session_does_not_open_the_approver_area(portal: Portal) -> None:
    assert portal.get("/approver").headers["location"] == "/approver/login?next=/approver"


def test_a_redirect_target_must_be_local(client: TestClient) -> None:
    page = client.get("/login?next=//evil.example/")
    assert 'name="next" value="/applicant"' in page.text
