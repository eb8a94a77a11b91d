"""One day of the service, in the order the scheduler would run its jobs, as a process the chaos suite can kill:
`python -m benchmarks.chaos_cycle SETTINGS_JSON`.

load → scan → route + the renewal round → notify (invitations) → STAND-IN holders reply → bot pre-fill → notify
(已启动) → STAND-IN approver decides → status sync → notify (results) → reconcile → letters.

A step that fails is reported on stderr and the day goes on with the next, as separate scheduled jobs would; the
exit code is the number of failed steps (a SIGKILL is told apart by the runner).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import httpx

from agent.jobs import bot_round, letters_round, notify_round, reconcile_round, refresh
from agent.runtime import Runtime
from ground.settings import Settings
from notifications.reads import consent_invitations_by_sms

APPROVER = ("approver", "approver-pass")
DISAGREE_EVERY = 9  # one holder in nine says things changed (２, full width, as phones often send)
SILENT_EVERY = 7  # one in seven never answers


def holders_reply(rt: Runtime) -> None:
    """STAND-IN holders: each one invited by SMS answers through the gateway, which posts the reply signed."""
    with rt.engine.connect() as connection:
        invited = consent_invitations_by_sms(connection)
    gateway = rt.settings.notify.sms.api_base_url
    for case_id, mobile in invited:
        if case_id % SILENT_EVERY == 0:
            continue
        body = "２" if case_id % DISAGREE_EVERY == 0 else "1"
        httpx.post(f"{gateway}/_sandbox/inbound", data={"From": mobile, "Body": body}, timeout=60).raise_for_status()


def approver_decides(rt: Runtime) -> None:
    from sandbox.scripted_approver import decide_all

    url = rt.settings.platform.base_url
    assert url is not None
    decide_all(url, *APPROVER)


def day_steps(rt: Runtime) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("refresh", lambda: refresh(rt)),
        ("notify", lambda: notify_round(rt)),
        ("holders reply", lambda: holders_reply(rt)),
        ("prefill", lambda: bot_round(rt, ignore_hours=True, steps=("prefill",), kinds=("renewal",))),
        ("notify", lambda: notify_round(rt)),
        ("approver", lambda: approver_decides(rt)),
        ("status sync", lambda: bot_round(rt, ignore_hours=True, steps=("status_sync",))),
        ("renewal round", lambda: refresh(rt)),
        ("notify", lambda: notify_round(rt)),
        ("reconcile", lambda: reconcile_round(rt)),
        ("letters", lambda: letters_round(rt)),
    ]


def main(argv: list[str]) -> int:
    values = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    rt = Runtime(Settings.model_validate(values))
    failed = 0
    for name, step in day_steps(rt):
        print(f"step {name}", file=sys.stderr, flush=True)
        try:
            step()
        except Exception:  # the next job runs whatever this one did, as under the scheduler
            failed += 1
            print(f"step {name} failed:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
