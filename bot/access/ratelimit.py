"""Failed authentication, counted per client in a fixed window: after `max_failures`
failures the client gets 429 until the window ends, whatever it sends (a correct token
too, so that guessing cannot be interleaved with good requests).

With REDIS_URL the counts live in Redis and every Rasa server and console shares them;
else (or while Redis is unreachable) they live in this process."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.config import settings

logger = logging.getLogger(__name__)

DEFAULT_MAX_FAILURES = 10
DEFAULT_WINDOW_SECONDS = 300
# In-process fallback: bounded, so a flood of distinct addresses cannot exhaust memory.
_MAX_TRACKED_CLIENTS = 100_000
_KEY_PREFIX = "hrd:authfail:"


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def _client_key(client: str) -> str:
    # Addresses are hashed: the counter store never holds who connected.
    return _KEY_PREFIX + hashlib.sha256(client.encode("utf-8", "replace")).hexdigest()[:32]


@dataclass
class _LocalWindows:
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, key: str, now: float) -> int:
        with self.lock:
            end, count = self.windows.get(key, (0.0, 0))
            return count if now < end else 0

    def add(self, key: str, now: float, window: int) -> int:
        with self.lock:
            end, count = self.windows.get(key, (0.0, 0))
            if now >= end:
                end, count = now + window, 0
            if key not in self.windows and len(self.windows) >= _MAX_TRACKED_CLIENTS:
                self._prune(now)
            self.windows[key] = (end, count + 1)
            return count + 1

    def _prune(self, now: float) -> None:
        for key in [k for k, (end, _) in self.windows.items() if end <= now]:
            del self.windows[key]
        if len(self.windows) >= _MAX_TRACKED_CLIENTS:  # all live: drop the oldest half
            for key in sorted(self.windows, key=lambda k: self.windows[k][0])[
                : _MAX_TRACKED_CLIENTS // 2
            ]:
                del self.windows[key]


class FailedAuthLimiter:
    def __init__(
        self,
        max_failures: int | None = None,
        window_seconds: int | None = None,
        redis_url: str | None = None,
    ) -> None:
        self.max_failures = max_failures or _env_int("HRD_AUTH_MAX_FAILURES",
                                                     DEFAULT_MAX_FAILURES)
        self.window_seconds = window_seconds or _env_int("HRD_AUTH_WINDOW_SECONDS",
                                                         DEFAULT_WINDOW_SECONDS)
        self.redis_url = redis_url if redis_url is not None else settings().redis_url
        self._local = _LocalWindows()
        self._redis: Any = None

    def _client(self) -> Any:
        if self._redis is None:
            import redis.asyncio as aioredis

            self._redis = aioredis.from_url(
                self.redis_url, socket_timeout=2, socket_connect_timeout=2
            )
        return self._redis

    async def blocked(self, client: str) -> bool:
        """True while `client` has used up its failures for the current window."""
        key = _client_key(client)
        if self.redis_url:
            try:
                value = await self._client().get(key)
                return int(value or 0) >= self.max_failures
            except Exception as error:  # Redis down: fall back to this process's counts
                logger.warning("rate limit: Redis unavailable (%s)", type(error).__name__)
        return self._local.count(key, time.monotonic()) >= self.max_failures

    async def failed(self, client: str) -> None:
        key = _client_key(client)
        if self.redis_url:
            try:
                redis = self._client()
                count = await redis.incr(key)
                if count == 1:
                    await redis.expire(key, self.window_seconds)
                return
            except Exception as error:
                logger.warning("rate limit: Redis unavailable (%s)", type(error).__name__)
        self._local.add(key, time.monotonic(), self.window_seconds)
