"""The gateway in a background thread of this process (tests): ground.http_serving with the app's lifespan on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ground import http_serving
from ground.http_serving import LOOPBACK
from sandbox.sms_gateway.app import create_app
from sandbox.sms_gateway.settings import GatewaySettings


@contextmanager
def serving(settings: GatewaySettings, host: str = LOOPBACK, port: int = 0) -> Iterator[str]:
    """`with serving(settings) as url:` runs the gateway for the block, then stops it (deliveries in flight stop
    too, and carry on when a gateway opens the same file again)."""
    with http_serving.serving(create_app(settings), host, port, name="sms-gateway", lifespan="on") as url:
        yield url
