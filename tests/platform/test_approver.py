"""The approver's queue and decisions, and how they show on the applicant's side."""

from __future__ import annotations

from tests.platform.conftest import FOOD, SUBSIDY, Clock, Portal, alerts


def test_a_submission_enters_the_queue_with_its_promised_date(portal: Portal, approver: Portal) -> None:
    number = portal.submit("food_renewal", FOOD)
    queue = approver.get("/approver").text
    assert "<h1>待审核</h1>" in queue and f'href="/approver/applications/{number}"' in queue
    for text in ("鄂托克旗草原饭店", "JY11506240012345", "食品经营许可延续", "2026-11-25 10:00", "2026-11-26"):
        assert text in queue


def test_the_detail_shows_the_applicants_remark_prominently(portal: Portal, approver: Portal) -> None:
    number = portal.submit("food_renewal", {**FOOD, "remark": "<script>alert(1)</script>请优先处理"})
    page = approver.get(f"/approver/applications/{number}").text
    remark = page.split('<h2 id="remark-heading">申请人备注</h2>')[1].split("</section>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;请优先处理" in remark and "<script>alert" not in page
    assert '<label for="reason">退回原因</label>' in page and ">确认通过</button>" in page


def test_approving_leaves_the_queue_and_shows_on_the_applicant_side(
    portal: Portal, approver: Portal, clock: Clock
) -> None:
    number = portal.submit("food_renewal", FOOD)
    clock.advance(600)
    response = approver.post(f"/approver/applications/{number}", {}, action="approve")
    assert response.headers["location"] == f"/approver?done={number}"
    assert number not in approver.get("/approver").text.split("<tbody>")[1]
    row = portal.get("/applicant").text.split(f'data-application-no="{number}"')[1].split("</tr>")[0]
    assert "已通过" in row and "通过" in row
    detail = portal.get(f"/applications/{number}").text
    assert "已通过" in detail and "approver" in detail and "2026-11-25 10:10" in detail


def test_returning_needs_a_reason(portal: Portal, approver: Portal) -> None:
    number = portal.submit("food_renewal", FOOD)
    response = approver.post(f"/approver/applications/{number}", {"reason": "  "}, action="return")
    assert alerts(response.text) == ["请填写退回原因"]
    assert portal.client.get("/_sandbox/applications").json()[0]["status"] == "待审核"


def test_a_return_reason_shows_on_the_applicant_side(portal: Portal, approver: Portal) -> None:
    number = portal.submit("subsidy", SUBSIDY)
    approver.post(f"/approver/applications/{number}", {"reason": "银行账号与开户许可信息不一致"}, action="return")
    row = portal.get("/applicant").text.split(f'data-application-no="{number}"')[1].split("</tr>")[0]
    assert "已退回" in row and "退回：银行账号与开户许可信息不一致" in row
    detail = portal.get(f"/applications/{number}").text
    assert "退回原因" in detail and "审核人" in detail and "审核时间" in detail


def test_an_application_is_decided_once(portal: Portal, approver: Portal) -> None:
    number = portal.submit("food_renewal", FOOD)
    approver.post(f"/approver/applications/{number}", {}, action="approve")
    response = approver.post(f"/approver/applications/{number}", {"reason": "晚了"}, action="return")
    assert alerts(response.text) == ["该申请已审核，不能重复操作"]
    assert portal.client.get("/_sandbox/applications").json()[0]["status"] == "已通过"


def test_an_applicant_sees_only_their_own_applications(portal: Portal, approver: Portal) -> None:
    number = portal.submit("food_renewal", FOOD)
    assert approver.get(f"/applications/{number}").status_code == 303  # not logged in on the applicant side
    assert portal.get("/applications/SQ20261125999999").status_code == 404
