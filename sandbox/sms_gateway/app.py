"""create_app(settings): the gateway as a FastAPI application. Its lifespan opens the webhook client and resumes the
deliveries a previous run left in flight; run it under uvicorn (ground.http_serving) or `with TestClient(app)`."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sandbox.sms_gateway.db import OptOutRegister, open_database
from sandbox.sms_gateway.delivery import Delivery
from sandbox.sms_gateway.errors import install_error_handlers
from sandbox.sms_gateway.faults import FaultInjection
from sandbox.sms_gateway.routes import messages, sandbox
from sandbox.sms_gateway.settings import GatewaySettings
from sandbox.sms_gateway.state import GatewayState
from sandbox.sms_gateway.webhooks import WebhookPoster


def start_running(state: GatewayState) -> None:
    settings = state.settings
    state.poster = WebhookPoster(settings.auth_token, settings.callback_timeout_s, settings.callback_attempts)
    state.delivery = Delivery(
        state.sessions, state.current_faults, state.poster, settings.clock, settings.phone_numbers[0]
    )
    state.delivery.resume()


async def stop_running(state: GatewayState) -> None:
    poster, delivery = state.running()
    await delivery.aclose()
    await poster.aclose()
    state.poster = state.delivery = None


def create_app(settings: GatewaySettings) -> FastAPI:
    sessions = open_database(settings.db_path)
    state = GatewayState(
        settings=settings,
        faults=settings.faults.model_copy(deep=True),
        sessions=sessions,
        opt_outs=OptOutRegister(sessions),
        rng=random.Random(settings.seed),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        start_running(state)
        try:
            yield
        finally:
            await stop_running(state)

    app = FastAPI(title="SMS gateway (sandbox)", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.gateway = state
    app.include_router(messages.router)
    app.include_router(sandbox.router)
    install_error_handlers(app)
    app.add_middleware(FaultInjection, state=state)
    return app
