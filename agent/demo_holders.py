"""The demo's STAND-IN holders (a script, not people): each holder invited by SMS to authorise a renewal answers
through the sandbox gateway, which posts the reply to the service's webhooks signed, as Twilio would. Most agree,
some say things changed (in full-width digits, as phones often send), some never answer."""

from __future__ import annotations

from collections import Counter

import httpx
from rich.console import Console

from agent.runtime import Runtime
from notifications.reads import consent_invitations_by_sms

# By case id, so the demo is the same every run: 7 in 10 agree, 1 says things changed, 2 never answer.
REPLIES = {0: "1", 1: "1", 2: "同意", 3: "1", 4: "１", 5: "1", 6: "1", 7: "２"}


def holders_reply(demo: Runtime, console: Console) -> None:
    with demo.engine.connect() as connection:
        invited = consent_invitations_by_sms(connection)
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
