"""The demo's STAND-IN holders (a script, not people): each holder invited by SMS to authorise a renewal answers
through the sandbox gateway, which posts the reply to the service's webhooks signed, as Twilio would. Most agree,
some say things changed (in full-width digits, as phones often send), some never answer."""

from __future__ import annotations

from collections import Counter

import httpx
from rich.console import Console
from sqlalchemy import Engine, select

from agent.runtime import Runtime
from ground.cases.lifecycle import State
from ground.events import Event
from ground.store.tables import cases, notifications

# By case id, so the demo is the same every run: 7 in 10 agree, 1 says things changed, 2 never answer.
REPLIES = {0: "1", 1: "1", 2: "同意", 3: "1", 4: "１", 5: "1", 6: "1", 7: "２"}


def invited_by_sms(engine: Engine) -> list[tuple[int, str]]:
    """(case, mobile) of every holder whose invitation to authorise a renewal went by SMS and who has not answered."""
    query = (
        select(cases.c.id, notifications.c.recipient)
        .join(notifications, notifications.c.case_id == cases.c.id)
        .where(
            cases.c.state == State.AWAITING_CONSENT.value,
            notifications.c.event == Event.CONSENT_REQUEST.value,
            notifications.c.provider_sid.is_not(None),
        )
        .order_by(cases.c.id)
    )
    with engine.connect() as connection:
        return [(int(case_id), str(mobile)) for case_id, mobile in connection.execute(query).all()]


def holders_reply(demo: Runtime, console: Console) -> None:
    invited = invited_by_sms(demo.engine)
    gateway = demo.settings.notify.sms.api_base_url
    outcomes: Counter[str] = Counter()
    with console.status(f"STAND-IN holders answering {len(invited)} invitations by SMS (a script, not people)"):
        for case_id, mobile in invited:
            body = REPLIES.get(case_id % 10)
            if body is None:
                outcomes["no reply"] += 1
                continue
            answer = httpx.post(f"{gateway}/_sandbox/inbound", data={"From": mobile, "Body": body}, timeout=10)
            answer.raise_for_status()
            outcomes[f"replied {body}"] += 1
    console.print(
        "STAND-IN holders (scripted) answered the invitations through the signed webhook: "
        + (", ".join(f"{what} {n}" for what, n in sorted(outcomes.items())) or "none invited")
    )
