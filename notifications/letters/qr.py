"""The letter's QR code: its id and verification code, for staff to check a letter's authenticity on the console.

It holds no URL: the bureau's systems are on an intranet and an SMS or letter must not send people to links. The
payload is plain ASCII so the code stays small (version 3 for the usual ids) and any scanner reads it.
"""

from __future__ import annotations

import segno
from markupsafe import Markup

PREFIX = "LETTER"


def qr_payload(letter_id: str, verification_code: str) -> str:
    return f"{PREFIX}|{letter_id}|{verification_code}"


def parse_qr_payload(payload: str) -> tuple[str, str]:
    """(letter id, verification code) read back from a scanned code; ValueError if it is not one of ours."""
    parts = payload.split("|")
    if len(parts) != 3 or parts[0] != PREFIX or not all(parts):
        raise ValueError(f"not a letter code: {payload!r}")
    return parts[1], parts[2]


def qr_svg(letter_id: str, verification_code: str) -> Markup:
    """An inline SVG (no size of its own: the stylesheet sizes it in mm), with the standard 4-module quiet zone."""
    code = segno.make(qr_payload(letter_id, verification_code), error="m", micro=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None))
