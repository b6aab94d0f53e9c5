"""The lock store follows REDIS_URL: the real Redis on this machine, or in memory."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from bot.store.lock_store import ConfiguredLockStore, redis_kwargs

T = TypeVar("T")


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


SERVERS = 8


def _at_once(job: Callable[[LockStore, str], T], conversation: str) -> list[T]:
    """`job` run by SERVERS lock stores (each its own Redis connection, as several Rasa
    processes have) released together."""
    stores = [ConfiguredLockStore() for _ in range(SERVERS)]
    start = threading.Barrier(SERVERS)

    def run(store: LockStore) -> T:
        start.wait()
        return job(store, conversation)

    with ThreadPoolExecutor(SERVERS) as pool:
        return list(pool.map(run, stores))


@pytest.fixture()
def shared_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.mark.usefixtures("shared_redis")
def test_tickets_issued_at_the_same_moment_are_all_kept() -> None:
    """Rasa's RedisLockStore reads the lock, adds a ticket and writes it back: two servers
    doing that at once both got the first ticket, both were served, and the turn saved second lost
    its events (tests/e2e/test_production_setup.py failed in CI that way)."""
    for _ in range(20):
        conversation = f"lock-race-{uuid.uuid4().hex}"
        tickets = _at_once(lambda store, conv: store.issue_ticket(conv), conversation)
        lock = ConfiguredLockStore().get_lock(conversation)
        assert lock is not None
        assert len(set(tickets)) == SERVERS
        assert sorted(t.number for t in lock.tickets) == sorted(tickets)
        ConfiguredLockStore().delete_lock(conversation)


def _turns(conversation: str) -> tuple[list[list[int]], list[int]]:
    """Every server takes one turn on the conversation: the moments two were inside at once,
    and the ticket each was served with."""
    inside: list[int] = []
    overlaps: list[list[int]] = []

    def turn(store: LockStore, conv: str) -> int:
        async def hold() -> int:
            async with store.lock(conv, lock_lifetime=5, wait_time_in_seconds=0.01) as lock:
                me = threading.get_ident()
                inside.append(me)
                if len(inside) > 1:
                    overlaps.append(list(inside))
                await asyncio.sleep(0.02)
                inside.remove(me)
                return lock.now_serving
        return asyncio.run(hold())

    return overlaps, _at_once(turn, conversation)


@pytest.mark.usefixtures("shared_redis")
def test_one_turn_at_a_time_across_servers() -> None:
    """Each server holds the conversation in turn: never two at once, and none is refused
    (a lock deleted under a waiting ticket made Rasa raise LockError)."""
    for _ in range(5):
        conversation = f"lock-turns-{uuid.uuid4().hex}"
        overlaps, served = _turns(conversation)
        assert overlaps == []
        assert len(set(served)) == SERVERS
        assert ConfiguredLockStore().get_lock(conversation) is None  # cleaned up
