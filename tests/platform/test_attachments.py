"""Attachments on the server: a PDF by its content and size, whatever its name; a required one missing refuses the
step and the submission; the approver opens the file. The page builds take it with the step's form, the Element
build on its own request first (tests/platform/test_element_api.py)."""

from __future__ import annotations

from tests.platform.conftest import FOOD, PDF, Portal, alerts

LABEL = "延续申请书（PDF）"


def test_a_step_without_its_attachment_is_refused_and_keeps_the_draft(portal: Portal) -> None:
    without = {name: value for name, value in FOOD.items() if name != "application_form"}
    response = portal.start("food_renewal", without)
    for number in (2, 3):
        response = portal.post(response.headers["location"], portal.step_values("food_renewal", number, without))

    assert response.status_code == 200 and f"请上传{LABEL}" in alerts(response.text)[0]


def test_a_file_is_a_pdf_by_its_content_and_within_the_size_limit(portal: Portal) -> None:
    step_2 = portal.start("food_renewal", FOOD).headers["location"]
    step_3 = portal.post(step_2, portal.step_values("food_renewal", 2, FOOD)).headers["location"]
    values = portal.step_values("food_renewal", 3, FOOD)
    for content, refusal in [
        (b"GIF89a pretending", "只能上传PDF格式文件"),
        (PDF + b"0" * (5 * 1024 * 1024), "文件大小不能超过5MB"),
    ]:
        data = {"csrf_token": portal.token, "promise": "on"}
        files = {"application_form": ("申请书.pdf", content, "application/pdf")}
        refused = portal.client.post(step_3, data=data, files=files, follow_redirects=False)
        assert f"{LABEL}：{refusal}" in alerts(refused.text)[0]

    accepted = portal.post(step_3, values)
    again = portal.get(step_3).text

    assert accepted.status_code == 303
    assert "已上传：延续申请书.pdf" in again, "going back shows the stored file; posting without one keeps it"


def test_the_approver_opens_the_applications_file(portal: Portal, approver: Portal) -> None:
    number = portal.submit("food_renewal", FOOD)
    page = approver.get(f"/approver/applications/{number}").text
    link = page.split('<h2 id="files-heading">申请材料</h2>')[1].split('href="')[1].split('"')[0]
    opened = approver.get(link)

    assert f"{LABEL}：延续申请书.pdf" in page
    assert opened.headers["content-type"] == "application/pdf" and opened.content == PDF
