"""Serving the platform with uvicorn: in a background thread (tests, the demo) or in the foreground (CLI)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn

from sandbox.platform.app import create_app
from sandbox.platform.settings import PlatformSettings

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 10.0


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket; port 0 lets the system pick a free one."""
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets it knows are TCP, and without it every response
    # body waited ~40 ms for a delayed ACK (headers and body go out as separate writes).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{host}:{port}"


def make_config(settings: PlatformSettings) -> uvicorn.Config:
    return uvicorn.Config(create_app(settings), log_level="warning", access_log=False, lifespan="off")


def run_in_thread(settings: PlatformSettings, host: str = LOOPBACK, port: int = 0) -> tuple[str, Callable[[], None]]:
    """Start serving in a daemon thread; returns the base URL and a function that stops the server."""
    sock = bind(host, port)
    server = uvicorn.Server(make_config(settings))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="sandbox-platform", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox platform did not start")
        time.sleep(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT_S)
        sock.close()

    return base_url(sock), stop


@contextmanager
def serving(settings: PlatformSettings, host: str = LOOPBACK, port: int = 0) -> Iterator[str]:
    """`with serving(settings) as url:` runs the platform for the block, then stops it cleanly."""
    url, stop = run_in_thread(settings, host, port)
    try:
        yield url
    finally:
        stop()
