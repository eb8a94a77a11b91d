"""A letter template: one lifecycle event's body in the shared A4 layout, rendered to HTML (autoescaped).

The event's context (`notifications.events`) is the same one its SMS gets; a letter adds `recipient` (who and where,
for the envelope window) and `letter` (its id, the verification code the caller stores, the date it is issued).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, Template

from ground.events import TITLES, Event
from notifications.jinja import environment
from notifications.letters.address import Recipient
from notifications.letters.layout import LAYOUT, Layout
from notifications.letters.qr import qr_svg

FOLDER = "letter"
RESERVED = ("recipient", "letter", "title", "layout", "qr_svg")  # names the letter adds to the event's context
SAFE_ID = re.compile(r"[A-Za-z0-9._-]+")  # the QR payload separates its fields with "|"


@dataclass(frozen=True)
class LetterMeta:
    letter_id: str
    verification_code: str
    issued_on: date

    def __post_init__(self) -> None:
        for name in ("letter_id", "verification_code"):
            if not SAFE_ID.fullmatch(getattr(self, name)):
                raise ValueError(f"{name} {getattr(self, name)!r}: ASCII letters, digits, '.', '_' or '-' only")


_environment: Environment | None = None


def letter_environment() -> Environment:
    """The shared notification environment with HTML autoescaping, made once: it caches compiled templates."""
    global _environment  # noqa: PLW0603 - one environment per process, as Jinja2 recommends
    if _environment is None:
        _environment = environment(autoescape=True)
    return _environment


class LetterTemplate:
    """The letter of one event: `render(context, recipient, letter)` gives the HTML the printer turns into a PDF."""

    channel = "letter"

    def __init__(self, event: Event, layout: Layout = LAYOUT) -> None:
        self.event = event
        self.title = TITLES[event]
        self.layout = layout
        self._template: Template = letter_environment().get_template(f"{FOLDER}/{event.value}.html.j2")

    def render(self, context: Mapping[str, Any], recipient: Recipient, letter: LetterMeta) -> str:
        """HTML of the whole letter. A value the template uses and the context lacks raises `UndefinedError`."""
        clashes = sorted(set(context) & set(RESERVED))
        if clashes:
            raise ValueError(f"the event context must not define {clashes}: the letter sets them")
        extra = {
            "recipient": recipient,
            "letter": letter,
            "title": self.title,
            "layout": self.layout,
            "qr_svg": qr_svg(letter.letter_id, letter.verification_code),
        }
        return self._template.render({**context, **extra})
