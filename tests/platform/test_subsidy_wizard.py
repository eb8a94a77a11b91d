"""The subsidy disbursement wizard: its checks and its submission."""

from __future__ import annotations

import pytest

from sandbox.platform.fields import Value
from tests.platform.conftest import SUBSIDY, Portal, alerts

MATTER = "subsidy"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"company_name": ""}, "请填写企业名称"),
        ({"policy": "不存在的政策"}, "政策名称的选择无效"),
        ({"policy": ""}, "请选择政策名称"),
    ],
)
def test_step_1_refuses(portal: Portal, changes: dict[str, Value], expected: str) -> None:
    assert expected in alerts(portal.start(MATTER, {**SUBSIDY, **changes}).text)[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"amount": "0"}, "拨付金额（元）应大于0"),
        ({"amount": "-5"}, "拨付金额（元）应为正数，最多两位小数"),
        ({"amount": "12.345"}, "拨付金额（元）应为正数，最多两位小数"),
        ({"account": "12345678901"}, "银行账号应为12至25位数字"),
        ({"account": "6222 0212 3456 7890"}, "银行账号应为12至25位数字"),
        ({"contact_phone": "1381234567"}, "联系电话应为11位手机号码"),
        ({"promise": False}, "请勾选“本人承诺所填信息真实有效，资金用于政策规定用途”"),
    ],
)
def test_step_2_refuses(portal: Portal, changes: dict[str, Value], expected: str) -> None:
    step_2 = portal.start(MATTER, SUBSIDY).headers["location"]
    response = portal.post(step_2, portal.step_values(MATTER, 2, {**SUBSIDY, **changes}))
    assert expected in alerts(response.text)[0]


def test_a_subsidy_application_is_submitted_with_its_policy(portal: Portal) -> None:
    number = portal.submit(MATTER, SUBSIDY)
    [row] = portal.client.get("/_sandbox/applications").json()
    assert row["application_no"] == number and row["matter"] == "subsidy" and row["licence_no"] is None
    assert row["data"]["policy"] == "高新技术企业认定奖励" and row["subject_name"] == "鄂托克旗蒙鑫科技有限公司"


def test_the_policy_select_is_filled_from_the_api(portal: Portal) -> None:
    page = portal.get("/applications/new/subsidy").text
    assert 'data-source="/api/policies"' in page
    assert "高新技术企业认定奖励" in portal.client.get("/api/policies").json()["items"]
