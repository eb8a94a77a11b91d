"""Named points where a test can make the process die on the spot, to prove a crash loses or repeats nothing.

Set PROACTIVE_FAILPOINT=<name> in the process's environment; nothing happens otherwise.
"""

from __future__ import annotations

import os

BEFORE_SUBMIT = "before_submit"  # the application is filled in on the platform, not yet submitted
AFTER_SUBMIT = "after_submit"  # the platform has the application; our database does not know yet
AFTER_SMS_SEND = "after_sms_send"  # the provider has the SMS; the outbox still says `sending`


def reach(name: str) -> None:
    if os.environ.get("PROACTIVE_FAILPOINT") == name:
        os._exit(75)  # no cleanup, no commit: as abrupt as a power cut
