"""A Twilio-compatible SMS gateway on loopback, for the demo and the tests: the official twilio library sends to it
(`client.api.base_url = url`), and it answers as Twilio's Messages API does, errors and slowness included, follows
the published contract (../shared/data/twilio/), delivers in the background with signed status callbacks, and posts
inbound replies to a webhook. Its own SQLite file. See README.md.

    create_app(GatewaySettings(db_path=..., account_sid="AC…", auth_token="…"))   # the FastAPI app
    with serving(settings) as base_url: ...                                       # uvicorn in a thread
    with gateway_process(db_path, "--slow-ms", "50") as base_url: ...             # its own process
"""

from sandbox.sms_gateway.app import create_app
from sandbox.sms_gateway.process import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, gateway_process
from sandbox.sms_gateway.server import serving
from sandbox.sms_gateway.settings import Faults, GatewaySettings

__all__ = [
    "SANDBOX_ACCOUNT_SID",
    "SANDBOX_AUTH_TOKEN",
    "Faults",
    "GatewaySettings",
    "create_app",
    "gateway_process",
    "serving",
]
