"""Serving an ASGI app with uvicorn on a socket we bind ourselves: in a daemon thread (tests, the demo, the webhook
receiver), in the foreground with a ready line on stdout (the sandboxes' command lines), or as a child process that
is waited for until it prints that line."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

import uvicorn
from starlette.types import ASGIApp

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 10.0
Lifespan = Literal["auto", "on", "off"]


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


def make_config(app: ASGIApp, lifespan: Lifespan = "auto", own_logging: bool = True) -> uvicorn.Config:
    """Without `own_logging`, uvicorn's events (an error in a request, with its traceback) go to the process's
    root logger like every other event (the service's masked, one-line-per-event handler) rather than to uvicorn's
    own text handlers."""
    log_config = uvicorn.config.LOGGING_CONFIG if own_logging else None
    return uvicorn.Config(app, log_level="warning", access_log=False, lifespan=lifespan, log_config=log_config)


def run_in_thread(
    app: ASGIApp, host: str = LOOPBACK, port: int = 0, *, name: str = "asgi-server", lifespan: Lifespan = "auto"
) -> tuple[str, Callable[[], None]]:
    """Start serving in a daemon thread; returns the base URL and a function that stops the server."""
    sock = bind(host, port)
    server = uvicorn.Server(make_config(app, lifespan, own_logging=False))  # in our process: our logging
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT_S)
        sock.close()

    return base_url(sock), stop


@contextmanager
def serving(
    app: ASGIApp, host: str = LOOPBACK, port: int = 0, *, name: str = "asgi-server", lifespan: Lifespan = "auto"
) -> Iterator[str]:
    """`with serving(app) as url:` runs the app for the block, then stops it cleanly."""
    url, stop = run_in_thread(app, host, port, name=name, lifespan=lifespan)
    try:
        yield url
    finally:
        stop()


class AnnouncingServer(uvicorn.Server):
    """Prints `<ready><url>` only once the socket accepts connections (a parent process waits for that line)."""

    def __init__(self, config: uvicorn.Config, ready: str, url: str) -> None:
        super().__init__(config)
        self.ready, self.url = ready, url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            print(f"{self.ready}{self.url}", flush=True)


def serve_forever(app: ASGIApp, host: str, port: int, ready: str, lifespan: Lifespan = "auto") -> None:
    """Serve in the foreground until SIGTERM or Ctrl-C; prints the ready line first."""
    sock = bind(host, port)
    AnnouncingServer(make_config(app, lifespan), ready, base_url(sock)).run(sockets=[sock])


@contextmanager
def module_process(module: str, args: Sequence[str], ready: str, timeout: float = 30) -> Iterator[str]:
    """Run `python -m <module> <args>` (which must print `<ready><url>` once it serves); yield the URL; SIGTERM it on
    exit. Its own interpreter, so a server under load does not share a GIL with the caller."""
    command = [sys.executable, "-m", module, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(ready):
            raise RuntimeError(f"{module} did not start (exit {process.poll()}): {line.strip()!r}")
        yield line.removeprefix(ready).strip()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
