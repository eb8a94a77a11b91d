"""SMS templates as classes that know their channel: signature first, carrier approval, cost, no gaps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from ground.events import Event
from notifications.jinja import environment
from notifications.sms_text import Cost, check, normalise


class TemplateNotApproved(LookupError):
    """The event has no carrier-approved template id: the carrier would block the message, so it is not sent."""


@dataclass(frozen=True)
class Sms:
    event: Event
    template_id: str  # the carrier's id for the approved template
    body: str  # signature included, exactly as sent
    cost: Cost


class SmsTemplate:
    channel = "sms"

    def __init__(
        self, event: Event, signature: str, carrier_id: str | None, max_segments: int, env: Environment
    ) -> None:
        self.event = event
        self.signature = signature
        self.carrier_id = carrier_id
        self.max_segments = max_segments
        self.template = env.get_template(f"sms/{event.value}.txt.j2")

    def render(self, context: dict[str, Any]) -> Sms:
        """The message for these values; StrictUndefined makes a missing value an error, never a gap."""
        if self.carrier_id is None:
            raise TemplateNotApproved(f"no carrier-approved SMS template for {self.event.value}")
        body = self.signature + normalise(self.template.render(context))
        return Sms(self.event, self.carrier_id, body, check(body, self.max_segments))


def sms_templates(signature: str, carrier_templates: dict[str, str], max_segments: int) -> dict[Event, SmsTemplate]:
    env = environment(autoescape=False)
    return {
        event: SmsTemplate(event, signature, carrier_templates.get(event.value), max_segments, env) for event in Event
    }
