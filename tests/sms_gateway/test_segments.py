"""Segments are counted as Twilio bills them: GSM-7 160 / 153 per part, UCS-2 70 / 67 per part."""

from __future__ import annotations

import pytest

from sandbox.sms_gateway.segments import count_segments, is_gsm7


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),  # GSM-7 fills one SMS exactly
        ("a" * 161, 2),  # one more: split, 153 per part
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters take two septets
        ("€" * 81, 2),
        ("您" * 70, 1),  # Chinese is UCS-2: 70 in one SMS
        ("您" * 71, 2),  # split: 67 per part
        ("您" * 134, 2),
        ("您" * 135, 3),
        ("a" * 69 + "您", 1),  # one Chinese character makes the whole body UCS-2
        ("a" * 70 + "您", 2),
        ("😀" * 35, 1),  # an emoji is two UTF-16 units
        ("😀" * 36, 2),
        ("【鄂托克旗政务服务局】您的许可证已续期，回复TD退订", 1),  # the signature counts
    ],
)
def test_it_counts_segments_as_twilio_does(body: str, segments: int) -> None:
    assert count_segments(body) == segments


def test_a_non_breaking_space_is_not_gsm7_and_makes_the_message_ucs2() -> None:
    assert is_gsm7("Hello there") and not is_gsm7("Hello\xa0there")
