"""Where a measured step's time goes: chosen functions wrapped, in the measuring process only, so each call's
seconds add up under a part's name (summed over calls and threads)."""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Patch = tuple[Any, str, str]  # (module or class, attribute, part it counts towards)


class Parts:
    def __init__(self, into: dict[str, float]) -> None:
        self.into = into
        self._lock = threading.Lock()

    def add(self, part: str, seconds: float) -> None:
        with self._lock:
            self.into[part] = self.into.get(part, 0.0) + seconds

    def wrap(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(function):
            return self._wrap_coroutine(part, function)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(part, time.perf_counter() - started)

        return timed

    def _wrap_coroutine(self, part: str, function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.add(part, time.perf_counter() - started)

        return timed


@contextmanager
def timed_parts(parts: Parts, patches: Sequence[Patch]) -> Iterator[None]:
    """Wrap each patched attribute for the duration of the block. One the code no longer has is skipped: the total
    still counts, only the split is the poorer for it."""
    present = [(owner, name, part) for owner, name, part in patches if callable(getattr(owner, name, None))]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in present]
    for (owner, name, part), (_, _, function) in zip(present, originals, strict=True):
        setattr(owner, name, parts.wrap(part, function))
    try:
        yield
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)
