"""A cap on request bodies, enforced before they are read: the webhooks are public, and without it an unsigned
upload of any size is read in full (and held in memory) before its signature can be refused."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = 413


class BodyLimit:
    """Refuse with 413 a body whose Content-Length is over `limit` bytes, without reading it; and stop reading
    one sent without a length (chunked) as soon as it passes `limit`."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await PlainTextResponse("request body too large", status_code=TOO_LARGE)(scope, receive, send)
            return
        await self.app(scope, self.capped(receive), send)

    def capped(self, receive: Receive) -> Receive:
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:  # the route's handling turns this into the 413 answer
                raise HTTPException(status_code=TOO_LARGE, detail="request body too large")
            return message

        return receive_within_limit
