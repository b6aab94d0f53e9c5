"""The Rasa lock store chosen by REDIS_URL: Redis when several Rasa servers share the
conversations, Rasa's in-memory store for the embedded single-server default.

endpoints.yml names this class; Rasa instantiates it with `endpoint_config=`, and `__new__`
hands back the store to use, so one endpoints.yml serves both set-ups without templating.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

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


class ConfiguredLockStore(LockStore):
    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        url = settings().redis_url
        if url:
            return RedisLockStore(**redis_kwargs(url))
        return InMemoryLockStore()
