"""Platform updates already handled: Telegram resends an update until it gets a 200, Slack
retries an event (X-Slack-Retry-Num) after 3 seconds, Twilio may retry a webhook. Each
update id is admitted once; a repeat is answered 200 and makes no turn.

Keys are SHA-256 hashes of "<platform>:<update id>" (no content, no account). With
REDIS_URL they live in Redis with a TTL (shared by every Rasa server); else, or while Redis
is unreachable, in the table channel_updates_seen (migration 0003), pruned as it goes."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.store.models import Base, UTCDateTime, utcnow
from bot.store.redis_client import configured_redis_url, redis_client
from bot.store.unit_of_work import Repository, unit_of_work

logger = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600  # longer than any platform retries (Telegram: about a day)
_KEY_PREFIX = "hrd:seen:"
_PRUNE_PROBABILITY = 0.01


class SeenUpdate(Base):
    __tablename__ = "channel_updates_seen"

    key_hash = sa.Column(sa.String(64), primary_key=True)
    seen_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow, index=True)


def update_key(platform: str, update_id: str) -> str:
    return hashlib.sha256(f"{platform}:{update_id}".encode()).hexdigest()


class SeenUpdateRows(Repository):
    """The table channel_updates_seen: the database's side of the dedupe."""

    def admit(self, key: str, now: datetime) -> bool:
        """Record `key`; False when it was there already (the primary key decides)."""
        return bool(self.session.execute(
            self._insert()(SeenUpdate).values(key_hash=key, seen_at=now).on_conflict_do_nothing()
        ).rowcount)

    def prune(self, before: datetime) -> None:
        self.session.execute(sa.delete(SeenUpdate).where(SeenUpdate.seen_at < before))


def _first_in_database(key: str) -> bool:
    now = utcnow()
    with unit_of_work() as uow:
        rows = uow.repository(SeenUpdateRows)
        first = rows.admit(key, now)
        if random.random() < _PRUNE_PROBABILITY:
            rows.prune(now - timedelta(seconds=TTL_SECONDS))
        return first


class SeenUpdates:
    def __init__(self, redis_url: str | None = None) -> None:
        self.redis_url = configured_redis_url(redis_url)

    def _client(self) -> Any:
        return redis_client(self.redis_url)  # shared with bot.access.ratelimit

    async def first_time(self, platform: str, update_id: str) -> bool:
        """True the first time this update is seen (and records it), False for a repeat."""
        key = update_key(platform, update_id)
        if self.redis_url:
            try:
                return bool(await self._client().set(_KEY_PREFIX + key, 1, nx=True,
                                                     ex=TTL_SECONDS))
            except Exception as error:  # Redis down: the database still deduplicates
                logger.warning("dedupe: Redis unavailable (%s)", type(error).__name__)
        try:
            return await asyncio.to_thread(_first_in_database, key)
        except Exception as error:
            # Better a rare duplicate turn than a lost message while the database is down.
            logger.error("dedupe: database unavailable (%s)", type(error).__name__)
            return True
