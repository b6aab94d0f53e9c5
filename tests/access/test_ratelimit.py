"""The authentication-attempt limit, in the database (SQLite, PostgreSQL) and in the real
Redis: shared by servers, counted before verification, and atomic under concurrency."""

from __future__ import annotations

import asyncio
import secrets

import pytest
import redis
import sqlalchemy as sa

from bot.access.models import AuthAttempt
from bot.access.ratelimit import FailedAuthLimiter
from bot.store.db import session_scope

REDIS_URL = "redis://127.0.0.1:6379/0"
STORES = ["", REDIS_URL]
STORE_IDS = ["database", "redis"]

pytestmark = pytest.mark.usefixtures("database")


def _client() -> str:
    return f"203.0.113.{secrets.randbelow(250)}-{secrets.token_hex(4)}"


async def _exhaust(limiter: FailedAuthLimiter, client: str) -> list[bool]:
    states = []
    for _ in range(limiter.max_failures + 1):
        states.append(await limiter.blocked(client))
        await limiter.failed(client)
    return states


@pytest.mark.parametrize("redis_url", STORES, ids=STORE_IDS)
def test_blocks_after_the_bound_and_only_that_client(redis_url: str) -> None:
    async def scenario() -> None:
        limiter = FailedAuthLimiter(max_failures=3, window_seconds=60, redis_url=redis_url)
        client = _client()
        assert await _exhaust(limiter, client) == [False, False, False, True]
        assert await limiter.blocked(client)
        assert not await limiter.attempt(client)
        assert not await limiter.blocked(client + "-other")

    asyncio.run(scenario())


@pytest.mark.parametrize("redis_url", STORES, ids=STORE_IDS)
def test_attempts_count_first_and_successes_give_theirs_back(redis_url: str) -> None:
    async def scenario() -> None:
        limiter = FailedAuthLimiter(max_failures=2, window_seconds=60, redis_url=redis_url)
        client = _client()
        for _ in range(5):  # a user who always succeeds is never blocked
            assert await limiter.attempt(client)
            await limiter.succeeded(client)
        assert [await limiter.attempt(client) for _ in range(3)] == [True, True, False]
        assert await limiter.blocked(client)

    asyncio.run(scenario())


@pytest.mark.parametrize("redis_url", STORES, ids=STORE_IDS)
def test_simultaneous_attempts_pass_at_most_the_limit(redis_url: str) -> None:
    """The race of issue 12: every attempt of a burst passed a check made before the
    first failure was counted. Counting first, exactly `max_failures` pass."""
    async def scenario() -> list[bool]:
        limiter = FailedAuthLimiter(max_failures=5, window_seconds=60, redis_url=redis_url)
        client = _client()
        return await asyncio.gather(*(limiter.attempt(client) for _ in range(60)))

    assert sum(asyncio.run(scenario())) == 5


def test_serialized_runs_one_verification_per_account_at_a_time() -> None:
    async def scenario() -> int:
        limiter = FailedAuthLimiter(max_failures=5, window_seconds=60, redis_url=REDIS_URL)
        inside = most = 0

        async def verify() -> None:
            nonlocal inside, most
            async with limiter.serialized("signin-account:a@example.org"):
                inside += 1
                most = max(most, inside)
                await asyncio.sleep(0.01)
                inside -= 1

        await asyncio.gather(*(verify() for _ in range(10)))
        return most

    assert asyncio.run(scenario()) == 1


@pytest.mark.parametrize("redis_url", STORES, ids=STORE_IDS)
def test_counts_are_shared_between_servers_and_keys_are_hashed(redis_url: str) -> None:
    address = f"198.51.100.7-{secrets.token_hex(4)}"

    async def scenario() -> None:
        one = FailedAuthLimiter(max_failures=2, window_seconds=60, redis_url=redis_url)
        two = FailedAuthLimiter(max_failures=2, window_seconds=60, redis_url=redis_url)
        await one.failed(address)
        await two.failed(address)
        assert await one.blocked(address) and await two.blocked(address)

    asyncio.run(scenario())
    if redis_url:
        keys = redis.Redis.from_url(REDIS_URL).keys("hrd:authfail:*")
    else:
        with session_scope() as session:
            keys = [k.encode() for k in session.execute(sa.select(AuthAttempt.key)).scalars()]
    assert keys and not any(b"198.51.100.7" in key for key in keys)


@pytest.mark.parametrize("redis_url", STORES, ids=STORE_IDS)
def test_window_ends(redis_url: str) -> None:
    async def scenario() -> None:
        limiter = FailedAuthLimiter(max_failures=1, window_seconds=1, redis_url=redis_url)
        client = _client()
        await limiter.failed(client)
        assert await limiter.blocked(client)
        await asyncio.sleep(1.1)
        assert not await limiter.blocked(client)
        assert await limiter.attempt(client)  # a new window starts at one

    asyncio.run(scenario())


def test_unreachable_redis_falls_back_to_the_database() -> None:
    async def scenario() -> None:
        limiter = FailedAuthLimiter(max_failures=2, window_seconds=60,
                                    redis_url="redis://127.0.0.1:1/0")
        database = FailedAuthLimiter(max_failures=2, window_seconds=60, redis_url="")
        assert await _exhaust(limiter, "client") == [False, False, True]
        assert await database.blocked("client")  # the same counts

    asyncio.run(scenario())
