"""The Element build's back end: its own URLs, the JSON its scripts call, and every check made again on the server,
so that a script skipping the page's own checks is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox.platform.layouts import BUSY_MESSAGE, FORBIDDEN_MESSAGE
from sandbox.platform.vocab import CONDITIONS_CHANGED_REFUSAL
from tests.platform.conftest import FOOD, NUMBER, SUBSIDY, Clock, Portal
from tests.platform.element import ElementPortal

FOOD_CODE, SUBSIDY_CODE = "/web/apply/spjyxkyx", "/web/apply/hqzczjbf"


@pytest.fixture
def element_app(app: FastAPI) -> FastAPI:
    app.state.platform.faults.layout = "element"
    return app


@pytest.fixture
def element_client(element_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(element_app) as test_client:
        yield test_client


@pytest.fixture
def element(element_client: TestClient) -> ElementPortal:
    portal = ElementPortal(element_client)
    assert portal.login()["code"] == 200
    return portal


@pytest.mark.parametrize("path", ["/uc/login", "/web/affairs", FOOD_CODE, SUBSIDY_CODE])
def test_the_element_pages_are_served(element: ElementPortal, path: str) -> None:
    page = element.client.get(path)
    assert page.status_code == 200 and "/static/element/" in page.text


def test_its_scripts_and_styles_are_served_by_the_platform_itself(element_client: TestClient) -> None:
    for asset in ("dom.js", "feedback.js", "widgets.js", "wizard.js", "affairs.js", "login.js", "element.css"):
        assert element_client.get(f"/static/element/{asset}").status_code == 200, asset


@pytest.mark.parametrize("path", ["/login", "/applicant", "/applications/new/food_renewal"])
def test_the_page_builds_urls_are_not_found_on_it(element: ElementPortal, path: str) -> None:
    assert element.client.get(path, follow_redirects=False).status_code == 404


@pytest.mark.parametrize("path", ["/uc/login", "/web/affairs", FOOD_CODE])
def test_its_urls_are_not_found_on_the_page_builds(portal: Portal, path: str) -> None:
    assert portal.get(path).status_code == 404


def test_home_and_pages_send_to_its_own_login(element_client: TestClient) -> None:
    assert element_client.get("/", follow_redirects=False).headers["location"] == "/web/affairs"
    response = element_client.get(f"{FOOD_CODE}?from=menu", follow_redirects=False)
    assert response.headers["location"] == "/uc/login?redirect=/web/apply/spjyxkyx%3Ffrom%3Dmenu"


def test_a_wrong_password_is_refused_in_the_answer(element_client: TestClient) -> None:
    answer = ElementPortal(element_client).login(password="wrong")
    assert answer == {"code": 400, "msg": "登录账号或密码错误", "data": None}


def test_a_post_without_the_sessions_token_is_forbidden(element: ElementPortal) -> None:
    element.token = "stale"
    response = element.client.post("/web/api/apply/spjyxkyx/steps/1", json={"form": {}})
    assert response.status_code == 403 and response.json()["msg"] == FORBIDDEN_MESSAGE


def test_an_expired_session_answers_401_and_its_login_page_says_so(element: ElementPortal, clock: Clock) -> None:
    clock.advance(1801)
    response = element.client.get("/web/api/affairs")
    assert response.status_code == 401 and response.json()["msg"] == "登录状态已过期，请重新登录"
    assert 'data-expired="登录状态已过期，请重新登录"' in element.client.get("/uc/login").text


def test_a_busy_platform_answers_its_scripts_in_json(element: ElementPortal) -> None:
    element.client.post("/_sandbox/faults", json={"error_rate": 1.0})
    response = element.client.get("/web/api/affairs")
    assert response.status_code == 500 and response.json()["msg"] == BUSY_MESSAGE


def test_it_files_a_renewal_step_by_step(element: ElementPortal) -> None:
    number = element.file("food_renewal", FOOD)
    assert NUMBER.fullmatch(number)
    [row] = element.client.get("/_sandbox/applications").json()
    assert row["data"]["conditions_changed"] == "否" and row["data"]["address"] == FOOD["address"]


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        # what the page's own checks would have stopped: required values left out
        ({"licence_no": ""}, "请填写原许可证编号"),
        ({"issuer": ""}, "请选择发证部门"),
        ({"business_items": []}, "请至少选择一项经营项目（可多选）"),
        # values no widget offers
        ({"issuer": "北京市市场监督管理局"}, "发证部门的选择无效"),
        ({"online": "已开展"}, "网络经营的选择无效"),  # the words shown, not the value
        ({"issued_on": "2021/12/20"}, "许可证发证日期不是有效日期"),
        # what only the server knows
        ({"licence_no": "JY1150624"}, "原许可证编号应为JY加14位数字"),
        ({"expires_on": "2021-12-01"}, "有效期截止日期应晚于许可证发证日期"),
    ],
)
def test_the_server_refuses_a_first_step_the_page_would_not_send(
    element: ElementPortal, changes: dict[str, object], refusal: str
) -> None:
    answer = element.step("food_renewal", 1, {**FOOD, **changes})  # type: ignore[dict-item]
    assert answer["code"] == 400 and refusal in answer["data"]["errors"]
    assert answer["msg"].startswith("校验未通过：")


def test_later_steps_are_checked_against_the_draft(element: ElementPortal) -> None:
    draft_id = element.step("food_renewal", 1, FOOD)["data"]["draftId"]
    assert element.step("food_renewal", 2, {**FOOD, "contact_phone": "123"}, draft_id)["data"]["errors"] == [
        "联系人手机号应为11位手机号码"
    ]
    refused = element.step("food_renewal", 3, {**FOOD, "conditions_changed": "是", "promise": False}, draft_id)
    assert refused["data"]["errors"] == [
        CONDITIONS_CHANGED_REFUSAL,
        "请勾选“我已阅读并同意《告知承诺书》，承诺所填信息真实有效、经营条件未发生变化”",
    ]


def test_a_later_step_needs_a_draft(element: ElementPortal) -> None:
    response = element.client.post(
        "/web/api/apply/spjyxkyx/steps/2", json={"form": {}}, headers={"X-CSRF-Token": element.token}
    )
    assert response.status_code == 404


def test_submitting_an_unfinished_draft_names_what_is_missing(element: ElementPortal) -> None:
    draft_id = element.step("food_renewal", 1, FOOD)["data"]["draftId"]
    answer = element.submit("food_renewal", draft_id)
    assert answer["code"] == 400 and "请填写经营主体名称" in answer["data"]["errors"]


def test_a_used_reference_is_refused_with_its_number(element: ElementPortal) -> None:
    number = element.file("subsidy", SUBSIDY)
    again = element.step("subsidy", 1, SUBSIDY)
    assert again["data"]["errors"] == [f"该业务参考号已申报，办件编号：{number}"]


def test_a_lost_answer_after_submission_is_caught_by_the_duplicate_guard(element: ElementPortal) -> None:
    draft_id = element.fill("food_renewal", FOOD)
    element.client.post("/_sandbox/faults", json={"error_rate": 1.0, "error_phase": "after"})
    assert (
        element.client.post(
            "/web/api/apply/spjyxkyx/submit", json={"draftId": draft_id}, headers={"X-CSRF-Token": element.token}
        ).status_code
        == 500
    )
    element.client.post("/_sandbox/faults", json={"error_rate": 0.0})
    [row] = element.client.get("/_sandbox/applications").json()
    retry = element.submit("food_renewal", draft_id)
    assert retry["msg"] == f"校验未通过：该业务参考号已申报，办件编号：{row['application_no']}"


def test_the_list_is_paged_by_ten_newest_first_and_searched_exactly(element: ElementPortal, clock: Clock) -> None:
    numbers = []
    for n in range(12):
        numbers.append(element.file("subsidy", {**SUBSIDY, "reference": f"SUB-{n:04d}"}))
        clock.advance(60)
    first, second = element.page_of(), element.page_of(page=2)
    assert first["data"]["total"] == 12 and len(first["data"]["rows"]) == 10
    assert [row["applicationNo"] for row in first["data"]["rows"] + second["data"]["rows"]] == numbers[::-1]
    [found] = element.page_of("SUB-0003")["data"]["rows"]
    assert found["applicationNo"] == numbers[3] and element.page_of("SUB-000")["data"]["total"] == 0


def test_a_row_shows_the_decision_and_its_time_to_the_second(element: ElementPortal, approver: Portal) -> None:
    number = element.file("food_renewal", FOOD)
    approver.post(f"/approver/applications/{number}", {}, action="return", reason="请补充健康证明")
    [row] = element.page_of()["data"]["rows"]
    assert row == {
        "applicationNo": number,
        "reference": "CASE-0001",
        "licenceNo": "JY11506240012345",
        "matterName": "食品经营许可延续",
        "status": "已退回",
        "submittedAt": "2026-11-25 10:00:00",
        "opinion": "退回：请补充健康证明",
        "decidedAt": "2026-11-25 10:00:00",
    }


def test_the_details_page_shows_the_builds_option_words(element: ElementPortal) -> None:
    number = element.file("food_renewal", FOOD)
    page = element.client.get(f"/web/affairs/{number}").text
    assert ">无变化</td>" in page and ">未开展</td>" in page and ">快递邮寄</td>" in page


def test_the_element_build_takes_the_file_on_its_own_and_the_step_names_it(element: ElementPortal) -> None:
    refused = element.upload("拨付申请书.pdf", b"%PNG not a pdf")
    draft_id = element.fill("subsidy", SUBSIDY)
    stranger = element.post(
        "/web/api/apply/hqzczjbf/steps/2",
        {"draftId": draft_id, "form": {**element_step_2(), "application_form": 999}},
    )

    assert refused["code"] == 400 and refused["msg"] == "上传失败：只能上传PDF格式文件"
    assert stranger["code"] == 400 and "请上传申报材料（盖章扫描件）" in stranger["msg"], "an id of no stored file"


def element_step_2() -> dict[str, object]:
    fields = ("company_name", "credit_code", "bank", "account", "contact_name", "contact_phone", "promise")
    return {name: SUBSIDY[name] for name in fields}
