"""The failed-authentication limit, in process and in the real Redis (shared by servers)."""

from __future__ import annotations

import asyncio
import secrets

import pytest
import redis

from bot.access.ratelimit import FailedAuthLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


async def _exhaust(limiter: FailedAuthLimiter, client: str) -> list[bool]:
    states = []
    for _ in range(limiter.max_failures + 1):
        states.append(await limiter.blocked(client))
        await limiter.failed(client)
    return states


@pytest.mark.parametrize("redis_url", ["", REDIS_URL], ids=["in-process", "redis"])
def test_blocks_after_the_bound_and_only_that_client(redis_url: str) -> None:
    async def scenario() -> None:
        limiter = FailedAuthLimiter(max_failures=3, window_seconds=60, redis_url=redis_url)
        client = f"203.0.113.{secrets.randbelow(250)}-{secrets.token_hex(4)}"
        assert await _exhaust(limiter, client) == [False, False, False, True]
        assert await limiter.blocked(client)
        assert not await limiter.blocked(client + "-other")

    asyncio.run(scenario())


def test_redis_counts_are_shared_between_servers() -> None:
    async def scenario() -> None:
        client = f"198.51.100.7-{secrets.token_hex(4)}"
        one = FailedAuthLimiter(max_failures=2, window_seconds=60, redis_url=REDIS_URL)
        two = FailedAuthLimiter(max_failures=2, window_seconds=60, redis_url=REDIS_URL)
        await one.failed(client)
        await two.failed(client)
        assert await one.blocked(client) and await two.blocked(client)

    asyncio.run(scenario())
    # The stored key does not contain the address.
    keys = redis.Redis.from_url(REDIS_URL).keys("hrd:authfail:*")
    assert keys and not any(b"198.51.100.7" in key for key in keys)


def test_window_ends() -> None:
    async def scenario() -> None:
        limiter = FailedAuthLimiter(max_failures=1, window_seconds=1, redis_url="")
        await limiter.failed("client")
        assert await limiter.blocked("client")
        await asyncio.sleep(1.1)
        assert not await limiter.blocked("client")

    asyncio.run(scenario())


def test_unreachable_redis_falls_back_to_process_counts() -> None:
    async def scenario() -> None:
        limiter = FailedAuthLimiter(max_failures=2, window_seconds=60,
                                    redis_url="redis://127.0.0.1:1/0")
        assert await _exhaust(limiter, "client") == [False, False, True]

    asyncio.run(scenario())
