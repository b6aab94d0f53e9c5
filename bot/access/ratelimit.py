"""Authentication attempts, counted per key (a client address, an account) in a fixed window:
past `max_failures` the key gets 429 until the window ends, whatever it sends (a correct
password or token too, so that guessing cannot be interleaved with good requests).

Where a guess is cheap to verify but the secret is small (a password and a 6-digit code),
`attempt()` counts the attempt atomically BEFORE anything is verified, and a success gives
it back (`succeeded()`): a thousand simultaneous guesses all increment first, so at most
`max_failures` of them are ever verified in a window. Checking first and counting after
a failed verification (`blocked()` then `failed()`) lets every concurrent request pass the
check; it is only kept for 256-bit API tokens, where a few extra guesses change nothing and
counting every request in flight would refuse legitimate parallel API calls.

The counts are shared by every process: in Redis (INCR) when REDIS_URL is set, else (and
while Redis is unreachable) in the database's `auth_attempts` table, by an upsert and a read
of the new count in one transaction. `serialized()` runs one verification per account at a
time (a Redis lock across processes, an asyncio lock within one). Keys are hashed: the
stores never hold who connected or which e-mail was tried."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.access.repository import AuthAttempts
from bot.config import current
from bot.store.redis_client import configured_redis_url, redis_client
from bot.store.unit_of_work import unit_of_work

logger = logging.getLogger(__name__)

DEFAULT_MAX_FAILURES = 10
DEFAULT_WINDOW_SECONDS = 300
_KEY_PREFIX = "hrd:authfail:"
_LOCK_SECONDS = 60  # a verification holds an account's lock at most this long
_PRUNE_ONE_IN = 200  # SQL: expired rows are deleted now and then, not on every attempt
# Redis: a decrement only while the window lives (an expired key must not come back at -1).
_GIVE_BACK = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) " \
             "end return 0"


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(current().value(name) or default))
    except ValueError:
        return default


def _client_key(client: str) -> str:
    return _KEY_PREFIX + hashlib.sha256(client.encode("utf-8", "replace")).hexdigest()[:32]


def _sql_row_key(key: str) -> str:
    return key[len(_KEY_PREFIX):]


def _sql_count(key: str, window: int) -> int:
    """One more attempt on `key`; returns the count in the current window (the upsert
    serializes concurrent attempts on a key: see AuthAttempts.count)."""
    now = time.time()
    with unit_of_work() as uow:
        attempts = uow.repository(AuthAttempts)
        count = attempts.count(_sql_row_key(key), now, window)
        if secrets.randbelow(_PRUNE_ONE_IN) == 0:
            attempts.prune(now)
        return count


def _sql_current(key: str) -> int:
    with unit_of_work(read_only=True) as uow:  # every authenticated request: no write lock
        return uow.repository(AuthAttempts).current(_sql_row_key(key), time.time())


def _sql_give_back(key: str) -> None:
    with unit_of_work() as uow:
        uow.repository(AuthAttempts).give_back(_sql_row_key(key), time.time())


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
        self.redis_url = configured_redis_url(redis_url)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())

    def _client(self) -> Any:
        return redis_client(self.redis_url)  # shared with bot.channels.dedupe

    async def _count(self, key: str) -> int:
        if self.redis_url:
            try:
                # One transaction: the key never exists without its expiry.
                pipe = self._client().pipeline(transaction=True)
                pipe.set(key, 0, ex=self.window_seconds, nx=True)
                pipe.incr(key)
                return int((await pipe.execute())[1])
            except Exception as error:  # Redis down: the database's counts
                self._redis_down(error)
        return await asyncio.to_thread(_sql_count, key, self.window_seconds)

    async def attempt(self, client: str) -> bool:
        """Count one attempt now, before verifying; True while within the limit."""
        return await self._count(_client_key(client)) <= self.max_failures

    async def succeeded(self, client: str) -> None:
        """Give back the attempt counted by `attempt()`: only failures use up the limit."""
        key = _client_key(client)
        if self.redis_url:
            try:
                await self._client().eval(_GIVE_BACK, 1, key)
                return
            except Exception as error:
                self._redis_down(error)
        await asyncio.to_thread(_sql_give_back, key)

    async def blocked(self, client: str) -> bool:
        """True while `client` has used up its failures for the current window."""
        key = _client_key(client)
        if self.redis_url:
            try:
                return int(await self._client().get(key) or 0) >= self.max_failures
            except Exception as error:
                self._redis_down(error)
        return await asyncio.to_thread(_sql_current, key) >= self.max_failures

    async def failed(self, client: str) -> None:
        """Count a failure after the fact (see the module's note on API tokens)."""
        await self._count(_client_key(client))

    @asynccontextmanager
    async def serialized(self, account: str) -> AsyncIterator[None]:
        """One verification at a time for `account`: across processes through Redis when
        configured, within this process always."""
        key = _client_key(account)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            shared = None
            if self.redis_url:
                try:
                    shared = self._client().lock(key + ":lock", timeout=_LOCK_SECONDS,
                                                 blocking_timeout=_LOCK_SECONDS)
                    if not await shared.acquire():
                        shared = None
                except Exception as error:
                    shared = None
                    self._redis_down(error)
            try:
                yield
            finally:
                if shared is not None:
                    try:
                        await shared.release()
                    except Exception as error:  # expired or Redis gone: nothing to undo
                        logger.warning("rate limit: lock not released (%s)",
                                       type(error).__name__)

    @staticmethod
    def _redis_down(error: Exception) -> None:
        logger.warning("rate limit: Redis unavailable (%s)", type(error).__name__)
