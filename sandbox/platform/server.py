"""Serving the platform with uvicorn (ground.http_serving): in a background thread (tests, the demo) or in the
foreground (CLI)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ground import http_serving
from ground.http_serving import LOOPBACK
from sandbox.platform.app import create_app
from sandbox.platform.settings import PlatformSettings

THREAD_NAME = "sandbox-platform"


def run_in_thread(settings: PlatformSettings, host: str = LOOPBACK, port: int = 0) -> tuple[str, Callable[[], None]]:
    """Start serving in a daemon thread; returns the base URL and a function that stops the server."""
    return http_serving.run_in_thread(create_app(settings), host, port, name=THREAD_NAME, lifespan="off")


@contextmanager
def serving(settings: PlatformSettings, host: str = LOOPBACK, port: int = 0) -> Iterator[str]:
    """`with serving(settings) as url:` runs the platform for the block, then stops it cleanly."""
    with http_serving.serving(create_app(settings), host, port, name=THREAD_NAME, lifespan="off") as url:
        yield url
