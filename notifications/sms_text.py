"""The rules an SMS body must keep, as pure functions: what it costs (segments), characters that would silently
change that, and what a carrier refuses (URLs).

A message is GSM-7 only if every character is in the GSM basic set; one Chinese character (or the signature 【…】)
makes it UCS-2, where each UTF-16 code unit counts: 70 in a single segment, 67 per segment once split, because
each part carries a concatenation header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Characters that look like nothing or like a plain space but change the encoding or the count. A non-breaking
# space from a copied registry value turns a GSM message into UCS-2 and doubles its cost; zero-width characters
# add billed code units nobody can see.
REPLACEMENTS = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u202f": " ",  # narrow no-break space
        "\u200b": None,  # zero-width space
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u2060": None,  # word joiner
        "\ufeff": None,  # byte-order mark
        "\r": None,  # CR LF → LF: one billed character, not two
        "\t": " ",
    }
)
URL = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(cn|com|net|org|gov)\b)", re.IGNORECASE)


class SmsRuleError(ValueError):
    """The body breaks a rule the carrier or the budget sets; the message says which."""


@dataclass(frozen=True)
class Cost:
    encoding: str  # GSM-7 | UCS-2
    units: int  # characters as billed (UTF-16 code units for UCS-2)
    segments: int


def normalise(text: str) -> str:
    """Drop invisible characters, make odd spaces plain, collapse runs of spaces, trim each line."""
    text = text.translate(REPLACEMENTS)
    lines = (re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def cost(text: str) -> Cost:
    if all(char in GSM_BASIC for char in text):
        return Cost("GSM-7", len(text), _segments(len(text), GSM_SINGLE, GSM_PART))
    units = len(text.encode("utf-16-le")) // 2  # a character beyond the BMP takes two
    return Cost("UCS-2", units, _segments(units, UCS2_SINGLE, UCS2_PART))


def _segments(units: int, single: int, part: int) -> int:
    if units <= single:
        return 1
    return -(-units // part)


def check(body: str, max_segments: int) -> Cost:
    """The body's cost, or SmsRuleError if a carrier would refuse it or it runs past `max_segments`."""
    link = URL.search(body)
    if link:
        raise SmsRuleError(f"an SMS may not carry a link: {link[0]!r}")
    if any(ord(char) > 0xFFFF for char in body):
        raise SmsRuleError("an SMS may not carry emoji or other characters outside the basic plane")
    measured = cost(body)
    if measured.segments > max_segments:
        raise SmsRuleError(
            f"the SMS is {measured.units} characters, {measured.segments} segments; the limit is {max_segments}"
        )
    return measured
