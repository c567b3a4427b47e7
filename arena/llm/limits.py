"""Concurrency limits per server: some servers answer one request at a time (llama.cpp's,
by default, even cuts off a streaming answer when another request arrives).

A participant or judge in arena.toml may carry `concurrency = N`. The limit belongs to
its `api_base` when it has one (every participant and judge naming that server shares
it), else to its model string. Every call through the gateway waits for a free slot, so
the round scoring a judge does in the background never overlaps a debater's speech on
the same one-request server, across all the debates of a process (a tournament).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections.abc import AsyncIterator

_limits: dict[str, int] = {}
_lock = threading.Lock()
_semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


def key_of(model: str, api_base: str | None) -> str:
    return f"api_base:{api_base.rstrip('/')}" if api_base else f"model:{model}"


def register(model: str, api_base: str | None, concurrency: int | None) -> None:
    """Limit calls to this server (or model); the smallest limit named for it wins."""
    if concurrency is None:
        return
    key = key_of(model, api_base)
    with _lock:
        _limits[key] = min(concurrency, _limits.get(key, concurrency))


def limit_of(model: str, api_base: str | None) -> int | None:
    return _limits.get(key_of(model, api_base))


def clear() -> None:
    with _lock:
        _limits.clear()
        _semaphores.clear()


@contextlib.asynccontextmanager
async def slot(model: str, api_base: str | None) -> AsyncIterator[None]:
    """Hold one of the server's slots for a call (no wait when it has no limit)."""
    key = key_of(model, api_base)
    limit = _limits.get(key)
    if limit is None:
        yield
        return
    loop = asyncio.get_running_loop()
    per_loop = _semaphores.setdefault(loop, {})
    semaphore = per_loop.get(key)
    if semaphore is None:
        semaphore = per_loop[key] = asyncio.Semaphore(limit)
    async with semaphore:
        yield
