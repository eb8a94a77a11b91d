"""What an SMS reply says once a phone's decorations are gone, for every question holders answer by reply (consent,
rating): full-width digits and letters as plain ones (NFKC), and spaces and punctuation dropped."""

from __future__ import annotations

import re
import unicodedata


def plain_reply(body: str) -> str:
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", body))
