"""SMS templates and the rules every body keeps: signature, cost, no gaps, no links, no invisible characters."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from ground.events import STAFF_EVENTS, Event
from ground.settings import SmsSettings
from notifications.events import sample_context
from notifications.sms import TemplateNotApproved, sms_templates
from notifications.sms_text import SmsRuleError, check, cost, normalise

SETTINGS = SmsSettings()


@pytest.mark.parametrize("event", list(Event))
def test_every_template_renders_with_sample_values_within_its_limit(event: Event) -> None:
    sms = sms_templates(SETTINGS.signature, SETTINGS.carrier_templates, SETTINGS.max_segments)[event].render(
        sample_context(event)
    )
    assert sms.body.startswith(SETTINGS.signature)
    assert sms.cost.encoding == "UCS-2"
    assert 1 <= sms.cost.segments <= SETTINGS.max_segments
    reader = "recipient_name" if event in STAFF_EVENTS else "holder_name"
    assert sms.body.startswith(SETTINGS.signature + sample_context(event)[reader])  # addressed to its reader by name
    assert sms.template_id == SETTINGS.carrier_templates[event.value]


def test_a_missing_value_is_an_error_not_a_gap() -> None:
    template = sms_templates(SETTINGS.signature, SETTINGS.carrier_templates, 4)[Event.RETURNED]
    context = sample_context(Event.RETURNED)
    del context["reason"]
    with pytest.raises(UndefinedError, match="reason"):
        template.render(context)


def test_an_event_without_a_carrier_approved_template_is_not_sent_by_sms() -> None:
    approved = {k: v for k, v in SETTINGS.carrier_templates.items() if k != Event.LAPSED.value}
    template = sms_templates(SETTINGS.signature, approved, 4)[Event.LAPSED]
    with pytest.raises(TemplateNotApproved, match="lapsed"):
        template.render(sample_context(Event.LAPSED))


def test_a_link_in_a_value_is_refused() -> None:
    context = {**sample_context(Event.RETURNED), "reason": "详见 www.example.cn/abc"}
    template = sms_templates(SETTINGS.signature, SETTINGS.carrier_templates, 4)[Event.RETURNED]
    with pytest.raises(SmsRuleError, match="link"):
        template.render(context)


def test_a_message_longer_than_the_segment_limit_is_refused() -> None:
    context = {**sample_context(Event.SUPPLY_MATERIALS), "missing": ["从业人员健康证明"] * 40}
    template = sms_templates(SETTINGS.signature, SETTINGS.carrier_templates, 4)[Event.SUPPLY_MATERIALS]
    with pytest.raises(SmsRuleError, match="limit is 4"):
        template.render(context)


def test_invisible_characters_from_the_registry_are_removed_before_counting() -> None:
    context = {**sample_context(Event.LAPSED), "holder_name": "草原\u200b味道\u00a0\u00a0餐饮店\ufeff"}
    sms = sms_templates(SETTINGS.signature, SETTINGS.carrier_templates, 4)[Event.LAPSED].render(context)
    assert "草原味道 餐饮店：" in sms.body
    assert not any(char in sms.body for char in "\u200b\u00a0\ufeff")


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),  # plain Latin fits 160
        ("a" * 161, "GSM-7", 2),  # …then 153 per part
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("【局】" + "字" * 67, "UCS-2", 1),  # 70 with the signature counted
        ("【局】" + "字" * 68, "UCS-2", 2),  # 71 → split, 67 per part
        ("字" * 134, "UCS-2", 2),
        ("字" * 135, "UCS-2", 3),
        ("a" * 69 + "\u00a0", "UCS-2", 1),  # one no-break space makes a Latin message UCS-2…
        ("a" * 70 + "\u00a0", "UCS-2", 2),  # …and can double its cost
    ],
)
def test_segments_are_counted_as_carriers_bill_them(text: str, encoding: str, segments: int) -> None:
    measured = cost(text)
    assert (measured.encoding, measured.segments) == (encoding, segments)


def test_normalising_keeps_a_latin_message_in_gsm() -> None:
    assert cost(normalise("Licence\u00a0renewed\r\n")).encoding == "GSM-7"


def test_emoji_are_refused() -> None:
    with pytest.raises(SmsRuleError, match="emoji"):
        check("【局】您好😀", 4)
