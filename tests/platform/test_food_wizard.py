"""The food licence renewal wizard: each step's checks, navigation, submission and the duplicate guard."""

from __future__ import annotations

import re

import pytest

from sandbox.platform.fields import Value
from sandbox.platform.vocab import CONDITIONS_CHANGED_REFUSAL
from tests.platform.conftest import FOOD, NUMBER, Portal, alerts, valid_credit_code

MATTER = "food_renewal"


def draft_url(portal: Portal, values: dict[str, Value] | None = None) -> str:
    """A draft whose first step is done; returns step 2's URL."""
    response = portal.start(MATTER, values or FOOD)
    assert response.status_code == 303, alerts(response.text)
    return str(response.headers["location"])


def step(url: str, number: int) -> str:
    return re.sub(r"/steps/\d+$", f"/steps/{number}", url)


def post_step(portal: Portal, url: str, number: int, **changes: Value) -> list[str]:
    values = portal.step_values(MATTER, number, {**FOOD, **changes})
    response = portal.post(url, values)
    return alerts(response.text) if response.status_code == 200 else []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"reference": ""}, "请填写申请参考号"),
        ({"holder_name": ""}, "请填写经营者名称"),
        ({"credit_code": "91150624MA0N1234"}, "统一社会信用代码应为18位数字或大写字母"),
        # right shape, wrong check character
        ({"credit_code": valid_credit_code()[:17] + ("0" if valid_credit_code()[17] != "0" else "1")}, "校验位不正确"),
        ({"legal_rep": ""}, "请填写法定代表人（负责人）"),
        ({"contact_phone": "0477-6212345"}, "联系电话应为11位手机号码"),
        ({"contact_phone": "12812345678"}, "联系电话应为11位手机号码"),
    ],
)
def test_step_1_refuses(portal: Portal, changes: dict[str, Value], expected: str) -> None:
    response = portal.start(MATTER, {**FOOD, **changes})
    assert response.status_code == 200 and expected in alerts(response.text)[0]


def test_step_1_lists_every_problem_and_keeps_the_values(portal: Portal) -> None:
    response = portal.start(MATTER, {**FOOD, "holder_name": "", "contact_phone": "123", "address": "<b>住所</b>"})
    problems = alerts(response.text)[0]
    assert "请填写经营者名称" in problems and "联系电话应为11位手机号码" in problems
    assert 'value="123"' in response.text and 'value="&lt;b&gt;住所&lt;/b&gt;"' in response.text


def test_a_lower_case_credit_code_is_taken_as_upper_case(portal: Portal) -> None:
    step_2 = draft_url(portal, {**FOOD, "credit_code": valid_credit_code().lower()})
    assert 'value="' + valid_credit_code() + '"' in portal.get(step(step_2, 1)).text


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"licence_no": "JY1150624001234"}, "许可证编号应为JY加14位数字"),
        ({"licence_no": "SP11506240012345"}, "许可证编号应为JY加14位数字"),
        ({"issuer": ""}, "请选择发证机关"),
        ({"issuer": "北京市市场监督管理局"}, "发证机关的选择无效"),
        ({"issued_on": "2021-02-30"}, "发证日期不是有效日期"),
        ({"expires_on": "2021-12-20"}, "有效期至应晚于发证日期"),
        ({"business_form": ""}, "请选择主体业态"),
        ({"business_items": []}, "请至少选择一项经营项目"),
        ({"business_items": ["烟草制品零售"]}, "经营项目包含无效选项"),
        ({"online": ""}, "请选择是否网络经营"),
    ],
)
def test_step_2_refuses(portal: Portal, changes: dict[str, Value], expected: str) -> None:
    assert expected in post_step(portal, draft_url(portal), 2, **changes)[0]


def test_step_2_accepts_no_warehouse(portal: Portal) -> None:
    assert post_step(portal, draft_url(portal), 2, warehouse_address="") == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"conditions_changed": "是"}, CONDITIONS_CHANGED_REFUSAL),
        ({"conditions_changed": ""}, "请选择经营条件是否发生变化"),
        ({"safety_manager": ""}, "请填写食品安全管理人员"),
        ({"cite_business_licence": False}, "请勾选“引用电子证照：营业执照”"),
        ({"cite_food_licence": False}, "请勾选“引用电子证照：食品经营许可证”"),
        ({"delivery": ""}, "请选择领取方式"),
        ({"recipient": "", "recipient_address": ""}, "选择邮寄送达的，请填写收件人、收件地址"),
        ({"remark": "备" * 2001}, "备注（致审批人员）不能超过2000个字"),
        ({"promise": False}, "请勾选“本人承诺所填信息真实有效，经营条件未发生变化”"),
    ],
)
def test_step_3_refuses(portal: Portal, changes: dict[str, Value], expected: str) -> None:
    step_2 = draft_url(portal)
    assert post_step(portal, step_2, 2) == []
    assert expected in post_step(portal, step(step_2, 3), 3, **changes)[0]


def test_collecting_at_the_window_needs_no_address(portal: Portal) -> None:
    step_2 = draft_url(portal)
    post_step(portal, step_2, 2)
    changes: dict[str, Value] = {"delivery": "窗口领取", "recipient": "", "recipient_address": "", "remark": ""}
    assert post_step(portal, step(step_2, 3), 3, **changes) == []


def test_a_later_step_is_not_reachable_before_the_earlier_ones(portal: Portal) -> None:
    step_2 = draft_url(portal)
    assert portal.get(step(step_2, 4)).headers["location"] == step_2


def test_going_back_keeps_what_was_entered(portal: Portal) -> None:
    step_2 = draft_url(portal)
    response = portal.post(step_2, {"premises": "新地址一层"}, action="back")
    assert response.headers["location"] == step(step_2, 1)
    assert 'value="鄂托克旗草原饭店"' in portal.get(response.headers["location"]).text
    assert 'value="新地址一层"' in portal.get(step_2).text


def test_the_issuer_select_is_filled_by_a_script_from_the_api(portal: Portal) -> None:
    page = portal.get(draft_url(portal)).text
    select = re.search(r"<select id=\"f-issuer\"[^>]*>(.*?)</select>", page, re.S)
    assert select and 'data-source="/api/issuers"' in page and "鄂托克旗市场监督管理局" not in select.group(1)
    assert "鄂托克旗市场监督管理局" in portal.client.get("/api/issuers").json()["items"]


def test_the_confirmation_summarises_every_value(portal: Portal) -> None:
    page = portal.get(portal.fill(MATTER, FOOD)).text
    assert "<h2>确认提交</h2>" in page
    for text in ("鄂托克旗草原饭店", "JY11506240012345", "热食类食品制售、自制饮品制售", "系统预填"):
        assert text in page


def test_submitting_shows_the_number_and_the_promised_date(portal: Portal) -> None:
    number = portal.submit(MATTER, FOOD)
    assert re.fullmatch(r"SQ20261125\d{6}", number)
    page = portal.get(f"/applications/{number}/submitted").text
    assert "<h1>提交成功</h1>" in page and f"申请编号：{number}" in page and "承诺时限：2026-11-26" in page


def test_numbers_count_up_within_the_day(portal: Portal) -> None:
    first = portal.submit(MATTER, FOOD)
    second = portal.submit(MATTER, {**FOOD, "reference": "CASE-0002"})
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_a_reference_already_submitted_is_refused_at_step_1(portal: Portal) -> None:
    number = portal.submit(MATTER, FOOD)
    response = portal.start(MATTER, FOOD)
    assert alerts(response.text) == [f"请修改以下问题： 该申请参考号已提交过申请：{number}"]


def test_a_reference_submitted_meanwhile_is_refused_at_confirmation(portal: Portal) -> None:
    confirm = portal.fill(MATTER, FOOD)
    number = portal.submit(MATTER, FOOD)
    response = portal.post(confirm, {}, action="submit")
    assert f"该申请参考号已提交过申请：{number}" in alerts(response.text)[0]
    assert len(portal.client.get("/_sandbox/applications").json()) == 1


def test_confirming_twice_creates_one_application(portal: Portal) -> None:
    confirm = portal.fill(MATTER, FOOD)
    first = portal.post(confirm, {}, action="submit")
    again = portal.post(confirm, {}, action="submit")
    assert NUMBER.findall(first.headers["location"])[0] in alerts(again.text)[0]
    assert len(portal.client.get("/_sandbox/applications").json()) == 1
