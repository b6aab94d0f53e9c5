"""Units of the fail-closed behaviour the end-to-end fault tests rely on: Rasa's
FailSafeTrackerStore lets the store's errors through (bot/runtime/fail_closed.py), and the
partner channel tells an outage (503) from a bug (500)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.partner import store_unavailable
from bot.runtime import fail_closed


class DownStore(TrackerStore):
    async def retrieve(self, sender_id: str) -> Any:
        raise sa.exc.OperationalError("SELECT", {}, Exception("connection refused"))

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        return await self.retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise sa.exc.OperationalError("INSERT", {}, Exception("database or disk is full"))

    async def keys(self) -> Any:
        return await self.retrieve("")


def test_the_tracker_store_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("retrieve", "retrieve_full_tracker", "save", "keys"):  # put back after
        monkeypatch.setattr(FailSafeTrackerStore, name, FailSafeTrackerStore.__dict__[name])
    fail_closed.install()
    store = FailSafeTrackerStore(DownStore(Domain.empty()))
    tracker = DialogueStateTracker("someone", [])
    for call in (store.retrieve("someone"), store.retrieve_full_tracker("someone"),
                 store.save(tracker), store.keys()):
        with pytest.raises(sa.exc.OperationalError):
            asyncio.run(call)
    assert store._fallback_tracker_store is None  # nothing kept in this process's memory


@pytest.mark.parametrize(("error", "outage"), [
    (sa.exc.OperationalError("SELECT 1", {}, Exception("refused")), True),
    (redis.exceptions.ConnectionError("Connection refused"), True),
    (redis.exceptions.TimeoutError("timed out"), True),
    (RuntimeError("wrapped"), True),  # caused by an outage (below)
    (ValueError("a bug"), False),
    (sa.exc.IntegrityError("INSERT", {}, Exception("duplicate")), False),
])
def test_an_outage_is_told_from_a_bug(error: BaseException, outage: bool) -> None:
    if isinstance(error, RuntimeError):
        error.__cause__ = redis.exceptions.ConnectionError("Connection refused")
    assert store_unavailable(error) is outage
