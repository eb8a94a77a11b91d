"""How many SMS segments a body takes, counted the way Twilio bills them.

A body made only of GSM-7 characters fits 160 septets in one SMS, 153 per part once split (the user-data header
takes the rest); the extension characters (€, [, ], …) take two septets. Anything else, Chinese included, goes as
UCS-2: 70 UTF-16 units in one SMS, 67 per part. One character outside GSM-7 switches the whole body to UCS-2.
"""

from __future__ import annotations

from math import ceil

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM7_LIMITS = (160, 153)
UCS2_LIMITS = (70, 67)
MAX_BODY_CHARS = 1600


def is_gsm7(body: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in body)


def encoding_units(body: str) -> tuple[int, tuple[int, int]]:
    """The body's length in its encoding's units, and that encoding's (single, per-part) limits."""
    if is_gsm7(body):
        return sum(2 if char in GSM7_EXTENSION else 1 for char in body), GSM7_LIMITS
    # UTF-16 units: a character outside the BMP (an emoji) takes two, as it does on the handset.
    return len(body.encode("utf-16-le")) // 2, UCS2_LIMITS


def count_segments(body: str) -> int:
    units, (single, per_part) = encoding_units(body)
    return 1 if units <= single else ceil(units / per_part)
