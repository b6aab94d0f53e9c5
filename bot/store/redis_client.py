"""The one asyncio Redis client that the failed-authentication limit (bot.access.ratelimit)
and the channels' update dedupe (bot.channels.dedupe) share: one connection pool per URL
instead of one per limiter and per channel.

A pool's connections belong to the event loop that opened them, so the cache is per running
loop (a server has one; tests run several in turn). Short timeouts: both callers fall back
to the database when Redis does not answer, and must not wait long to find out."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from bot.config import settings

TIMEOUT_SECONDS = 2

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Any]] = (
    weakref.WeakKeyDictionary())


def configured_redis_url(url: str | None = None) -> str | None:
    """`url` when given (an empty string: no Redis), else the REDIS_URL setting."""
    return url if url is not None else settings().redis_url


def redis_client(url: str) -> Any:
    """The shared `redis.asyncio` client for `url` on the running event loop."""
    import redis.asyncio as aioredis  # only where Redis is configured

    per_url = _clients.setdefault(asyncio.get_running_loop(), {})
    client = per_url.get(url)
    if client is None:
        client = per_url[url] = aioredis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)
    return client
