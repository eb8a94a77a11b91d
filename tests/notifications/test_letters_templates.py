"""Letter templates rendered to HTML (no browser): every event with its sample values, strictness, escaping."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from jinja2 import UndefinedError

from ground.events import HOLDER_EVENTS, TITLES, Event
from notifications.events import SAMPLES, sample_context
from notifications.letters import LetterMeta, LetterTemplate, Recipient
from notifications.letters.qr import parse_qr_payload, qr_payload

RECIPIENT = Recipient("鄂托克旗乌兰镇草原味道餐饮店", ("内蒙古自治区鄂尔多斯市鄂托克旗", "乌兰镇团结路12号"), "016100")
META = LetterMeta("L20261125-0001", "7K3M9Q2X", date(2026, 11, 25))


def render(event: Event, **changes: Any) -> str:
    return LetterTemplate(event).render(sample_context(event) | changes, RECIPIENT, META)


@pytest.mark.parametrize("event", HOLDER_EVENTS)
def test_every_event_has_a_letter_with_its_title_the_holder_and_the_verification_footer(event: Event) -> None:
    html = render(event)
    assert f"<h1>{TITLES[event]}</h1>" in html
    assert "鄂托克旗乌兰镇草原味道餐饮店：" in html  # the salutation
    assert "7K3M9Q2X" in html and "L20261125-0001" in html
    assert '<svg viewBox="0 0 ' in html and 'class="qr"' in html  # the QR code is inline: nothing to fetch
    assert "http" not in html  # no URL anywhere: no CDN, no link in the QR code
    assert "016100" in html and "乌兰镇团结路12号" in html and "鄂托克旗乌兰镇草原味道餐饮店 收" in html
    assert "2026年11月25日" in html  # the date it is issued


@pytest.mark.parametrize(("event", "key"), [(event, key) for event in HOLDER_EVENTS for key in SAMPLES[event]])
def test_a_missing_event_value_is_an_error_not_a_gap(event: Event, key: str) -> None:
    context = sample_context(event)
    del context[key]
    with pytest.raises(UndefinedError):
        LetterTemplate(event).render(context, RECIPIENT, META)


@pytest.mark.parametrize("key", ["holder_name", "bureau"])
def test_a_missing_common_value_is_an_error(key: str) -> None:
    context = sample_context(Event.RENEWED)
    del context[key]
    with pytest.raises(UndefinedError):
        LetterTemplate(Event.RENEWED).render(context, RECIPIENT, META)


def test_values_are_escaped_so_a_name_with_markup_prints_literally() -> None:
    html = LetterTemplate(Event.RETURNED).render(
        sample_context(Event.RETURNED) | {"holder_name": "<b>草原</b>味道", "reason": "地址 & 名称<script>"},
        Recipient("<b>草原</b>味道", ("乌兰镇<i>团结路</i>",), "016100"),
        META,
    )
    assert "&lt;b&gt;草原&lt;/b&gt;味道：" in html
    assert "&lt;b&gt;草原&lt;/b&gt;味道 收" in html
    assert "乌兰镇&lt;i&gt;团结路&lt;/i&gt;" in html
    assert "地址 &amp; 名称&lt;script&gt;" in html
    assert "<b>" not in html and "<script>" not in html


def test_supply_materials_lists_every_missing_item_the_deadline_and_the_free_return_envelope() -> None:
    missing = ["从业人员健康证明（3人）", "食品安全管理制度文本", "经营场所平面图"]
    html = render(Event.SUPPLY_MATERIALS, missing=missing)
    assert all(f"<li>{item}</li>" in html for item in missing)
    assert "以下3项材料，现一次性告知如下" in html
    assert "请您于2026年12月18日前提交上述材料" in html and "延续申请须于2027年3月9日前提出" in html
    assert "先行受理" not in html, "nothing was filed: nothing was accepted"
    assert "免费回寄信封" in html and "无需粘贴邮票" in html and "以邮戳日期为准" in html


def test_renewed_gives_the_new_validity_and_the_electronic_licence() -> None:
    html = render(Event.RENEWED)
    assert "新证有效期至2031年11月25日" in html and "电子证照" in html


def test_returned_gives_the_reason() -> None:
    assert "经营场所地址与营业执照登记地址不一致" in render(Event.RETURNED)


def test_subsidy_gives_policy_amount_period_paid_date_and_that_nobody_applied() -> None:
    html = render(Event.SUBSIDY_GRANTED)
    assert "高新技术企业认定奖励（2026年度）" in html
    assert "奖补资金200,000元已于2026年12月10日拨付" in html
    assert "无需申请" in html


def test_the_letter_refuses_a_context_that_sets_its_own_names() -> None:
    with pytest.raises(ValueError, match=r"\['recipient'\]"):
        render(Event.RENEWED, recipient="someone")


@pytest.mark.parametrize("letter_id", ["", "L|1", "信函1", "L 1"])
def test_a_letter_id_the_qr_code_cannot_carry_is_refused(letter_id: str) -> None:
    with pytest.raises(ValueError, match="letter_id"):
        LetterMeta(letter_id, "7K3M9Q2X", date(2026, 11, 25))


def test_the_qr_payload_reads_back_as_letter_id_and_code() -> None:
    assert parse_qr_payload(qr_payload("L20261125-0001", "7K3M9Q2X")) == ("L20261125-0001", "7K3M9Q2X")
    with pytest.raises(ValueError, match="not a letter code"):
        parse_qr_payload("https://example.org/L1")
