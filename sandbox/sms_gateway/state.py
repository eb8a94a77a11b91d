"""What one running gateway holds: its settings, its current faults, the fault draws, its database, the webhook
poster and the delivery runner (the last two exist while the app's lifespan runs)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from sandbox.sms_gateway.db import OptOutRegister
from sandbox.sms_gateway.delivery import Delivery
from sandbox.sms_gateway.settings import Faults, GatewaySettings
from sandbox.sms_gateway.webhooks import WebhookPoster


@dataclass
class GatewayState:
    settings: GatewaySettings
    faults: Faults
    sessions: sessionmaker[Session]
    opt_outs: OptOutRegister
    rng: random.Random
    poster: WebhookPoster | None = field(default=None)
    delivery: Delivery | None = field(default=None)

    def now(self) -> datetime:
        return self.settings.clock()

    def current_faults(self) -> Faults:
        # Read at each use: /_sandbox/faults replaces the object while the gateway runs.
        return self.faults

    def running(self) -> tuple[WebhookPoster, Delivery]:
        if self.poster is None or self.delivery is None:
            raise RuntimeError("the gateway's lifespan has not started (use TestClient as a context manager)")
        return self.poster, self.delivery


def get_state(request: Request) -> GatewayState:
    return cast(GatewayState, request.app.state.gateway)


StateDep = Annotated[GatewayState, Depends(get_state)]


async def get_db(state: StateDep) -> AsyncIterator[Session]:
    # Async on purpose: SQLite answers in microseconds, so the session stays on the event loop, with no thread hop.
    with state.sessions() as db:
        yield db


DbDep = Annotated[Session, Depends(get_db)]
