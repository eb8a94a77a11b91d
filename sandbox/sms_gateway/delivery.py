"""Delivery in the background: a created message moves through its statuses one step at a time, and each change
is POSTed to its StatusCallback (signed), as Twilio does. Creating a message never waits for any of this.

The route is data: which statuses follow from the outcome the faults give the recipient. A message that a restart
of the gateway interrupted carries on from where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sandbox.sms_gateway.db import FINAL_STATUSES, Message
from sandbox.sms_gateway.resource import API_VERSION, stored_time
from sandbox.sms_gateway.settings import Faults
from sandbox.sms_gateway.webhooks import WebhookPoster

log = logging.getLogger(__name__)

ROUTES: dict[str, tuple[str, ...]] = {
    "delivered": ("sending", "sent", "delivered"),
    "undelivered": ("sending", "sent", "undelivered"),  # the carrier took it, the handset never got it
    "failed": ("sending", "failed"),  # it never left
}
# A message through a Messaging Service is first "accepted", then "queued" once a sender is picked.
SERVICE_PREFIX = ("queued",)


def outcome_for(to: str, faults: Faults) -> tuple[str, int | None]:
    """How delivery to this recipient ends, and the error code it ends with."""
    if to in faults.failed_numbers:
        return "failed", faults.failed_numbers[to]
    if to in faults.undelivered_numbers:
        return "undelivered", faults.undelivered_numbers[to]
    return "delivered", None


def remaining_statuses(status: str, via_service: bool, outcome: str) -> tuple[str, ...]:
    """The statuses still ahead of a message in `status` (none once it is final)."""
    route = (SERVICE_PREFIX if via_service else ()) + ROUTES[outcome]
    if status in FINAL_STATUSES:
        return ()
    return route[route.index(status) + 1 :] if status in route else route


def callback_params(message: Message) -> dict[str, str]:
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "AccountSid": message.account_sid,
        "From": message.sender or "",
        "To": message.to,
        "MessageStatus": message.status,
        "SmsStatus": message.status,
        "ApiVersion": API_VERSION,
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    if message.error_code is not None:
        params["ErrorCode"] = str(message.error_code)
    return params


class Delivery:
    """Runs one task per message in flight, on the server's event loop."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        faults: Callable[[], Faults],
        poster: WebhookPoster,
        clock: Callable[[], datetime],
        default_sender: str,
    ) -> None:
        self.sessions, self.faults, self.poster, self.clock = sessions, faults, poster, clock
        self.default_sender = default_sender
        self.tasks: set[asyncio.Task[None]] = set()

    def start(self, message: Message) -> None:
        task = asyncio.create_task(self._deliver(message), name=f"deliver-{message.sid}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def resume(self) -> int:
        """Carry on with every outbound message that was still in flight when the gateway last stopped."""
        with self.sessions() as db:
            pending = db.scalars(
                select(Message).where(Message.direction == "outbound-api", Message.status.not_in(FINAL_STATUSES))
            ).all()
        for message in pending:
            self.start(message)
        return len(pending)

    async def aclose(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _deliver(self, message: Message) -> None:
        """`message` as it was when delivery started (detached: the steps re-read the row they change)."""
        sid = message.sid
        outcome, error_code = outcome_for(message.to, self.faults())
        for status in remaining_statuses(message.status, message.messaging_service_sid is not None, outcome):
            await asyncio.sleep(self.faults().delivery_step_ms / 1000)
            changed = self._advance(sid, status, error_code)
            if changed is None:  # deleted meanwhile
                return
            if changed.status_callback:
                await self.poster.post(changed.status_callback, callback_params(changed), about=sid)

    def _advance(self, sid: str, status: str, error_code: int | None) -> Message | None:
        now = stored_time(self.clock())
        with self.sessions() as db:
            message = db.scalar(select(Message).where(Message.sid == sid))
            if message is None:
                return None
            message.status, message.date_updated = status, now
            message.sender = message.sender or self.default_sender
            if status == "sent":
                message.date_sent = now
            if status in {"undelivered", "failed"}:
                message.error_code = error_code
            db.commit()
            return message
