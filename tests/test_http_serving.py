"""ground.http_serving runs any ASGI app: in a thread for the block, on a port the system picks, then stops."""

from __future__ import annotations

import socket

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ground.http_serving import bind, serving


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"hello {request.query_params.get('name', '')}")


APP = Starlette(routes=[Route("/hello", hello)])


def test_it_serves_any_asgi_app_for_the_block_then_stops() -> None:
    with serving(APP) as url:
        assert httpx.get(f"{url}/hello?name=web").text == "hello web"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/hello", timeout=1)


def test_its_sockets_are_tcp_so_responses_are_not_held_back_by_delayed_acks() -> None:
    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP and sock.getsockname()[1] > 0
    finally:
        sock.close()
