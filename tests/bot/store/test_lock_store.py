"""The lock store follows REDIS_URL: the real Redis on this machine, or in memory."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.store.lock_store import ConfiguredLockStore, redis_kwargs


def test_redis_url_is_parsed() -> None:
    kwargs = redis_kwargs("redis://:s%40cret@10.0.0.5:6380/3")
    assert kwargs["host"] == "10.0.0.5"
    assert kwargs["port"] == 6380
    assert kwargs["db"] == 3
    assert kwargs["password"] == "s@cret"
    assert kwargs["use_ssl"] is False


def test_a_bad_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="redis://"):
        redis_kwargs("http://localhost:6379")


def test_without_redis_url_the_store_is_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(ConfiguredLockStore(endpoint_config=None), InMemoryLockStore)


def test_with_redis_url_two_servers_share_one_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")
    first, second = ConfiguredLockStore(), ConfiguredLockStore()
    assert isinstance(first, RedisLockStore)
    conversation = f"lock-test-{uuid.uuid4().hex}"

    async def scenario() -> None:
        async with first.lock(conversation):
            # While one server holds the conversation, a ticket of the other one waits.
            ticket = second.issue_ticket(conversation)
            assert second.get_lock(conversation).is_locked(ticket)
        # Released by the first server: the second one is served now.
        assert not second.get_lock(conversation).is_locked(ticket)
        second.cleanup(conversation, ticket)

    asyncio.run(scenario())
