"""The Rasa lock store chosen by REDIS_URL: Redis when several Rasa servers share the
conversations, Rasa's in-memory store for the embedded single-server default.

endpoints.yml names this class; Rasa instantiates it with `endpoint_config=`, and `__new__`
hands back the store to use, so one endpoints.yml serves both set-ups without templating.

Rasa's RedisLockStore changes a conversation's lock by reading it, changing it in Python and
writing it back. Two Rasa processes issuing a ticket at the same moment both read "no lock",
both wrote a lock holding only their own first ticket, and both were served at once: the turn
saved second found the first one's rows already counted and lost its own events without a
word. AtomicRedisLockStore makes every such change one Redis transaction (WATCH the key, then
MULTI/EXEC, again if another process changed it in between).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)

from bot.config import settings


def redis_kwargs(url: str) -> dict[str, Any]:
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError("REDIS_URL must start with redis:// or rediss://")
    db = parsed.path.lstrip("/")
    return {
        "host": parsed.hostname or "localhost",
        "port": parsed.port or 6379,
        "db": int(db) if db else 1,
        "username": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "use_ssl": parsed.scheme == "rediss",
        "key_prefix": "hrd",
    }


T = TypeVar("T")

# What a change makes of the lock (None: delete it) and what it returns to the caller.
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose every read-change-write of a lock is atomic across processes."""

    def _atomically(self, conversation_id: str, change: Change[T]) -> T:
        key = self.key_prefix + conversation_id

        def run(pipe: Any) -> T:
            raw = pipe.get(key)  # watched: EXEC fails if another process writes the key
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new, result = change(lock)
            pipe.multi()
            if new is None:
                pipe.delete(key)
            else:
                pipe.set(key, new.dumps())
            return result

        return self.red.transaction(run, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, issue)
        except Exception as error:  # as Rasa's: the turn fails with LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """The ticket given back, and the lock deleted only if no other ticket waits on it, in
        one step: a ticket issued between Rasa's check and its delete was wiped, and its turn
        failed with LockError."""
        def release(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, release)


class ConfiguredLockStore(LockStore):
    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        url = settings().redis_url
        if url:
            return AtomicRedisLockStore(**redis_kwargs(url))
        return InMemoryLockStore()
