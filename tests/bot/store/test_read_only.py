"""Transactions that only read (bot/store/db.py): on SQLite they read a snapshot beside a
writer instead of queuing for the write lock (every other transaction begins IMMEDIATE), and
a write in one fails. Every turn reads its conversation and its caller's token this way; its
save, which must wait for the write lock, waits in a worker thread, not on the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.exc import OperationalError

from bot.store import db
from bot.store.models import TrackerEvent

from .conftest import StoreEnv, new_id
from .test_tracker_store import DOMAIN, conversation

CONFIG = EndpointConfig(type="bot.store.tracker_store.EncryptedSQLTrackerStore")


@pytest.fixture
def short_busy_timeout(store: StoreEnv, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A read that waited for the write lock fails after 1 s instead of 30."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 1000)
    db.dispose_engines()
    yield
    monkeypatch.undo()
    db.dispose_engines()


def _events_of(session: sa.orm.Session, sender: str) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(TrackerEvent)
                           .where(TrackerEvent.sender_id == sender)).scalar_one()


def _write_row(session: sa.orm.Session, sender: str) -> None:
    session.execute(sa.insert(TrackerEvent).values(
        sender_id=sender, type_name="user", timestamp=1.0, data=b"not a real event"))


async def test_a_conversation_is_read_while_another_is_being_written(
    store: StoreEnv, short_busy_timeout: None
) -> None:
    tracker_store = TrackerStore.create(CONFIG, DOMAIN)
    sender, other = new_id("conv"), new_id("conv")
    await tracker_store.save(conversation(sender, "hello", "kept"))
    with db.session_scope() as writer:
        _write_row(writer, other)  # holds the write lock until the block ends
        with db.session_scope(read_only=True) as reader:
            assert _events_of(reader, other) == 0  # the snapshot: nothing uncommitted
        read = await tracker_store.retrieve(sender)
        assert read is not None and read.get_slot("threat_description") == "kept"
    with db.session_scope(read_only=True) as reader:
        assert _events_of(reader, other) == 1


def test_a_write_in_a_read_only_transaction_fails(store: StoreEnv) -> None:
    if store.kind != "sqlite":
        pytest.skip("PostgreSQL ignores the mark: its reads never wait for a writer")
    sender = new_id("conv")
    with pytest.raises(OperationalError, match="readonly"), \
            db.session_scope(read_only=True) as reader:
        _write_row(reader, sender)
    for _ in range(3):  # every pooled connection writes again once the mark is gone
        with db.session_scope() as writer:
            _write_row(writer, sender)
    with db.session_scope(read_only=True) as reader:
        assert _events_of(reader, sender) == 3


async def test_a_save_waiting_for_the_write_lock_holds_up_no_other_conversation(
    store: StoreEnv,
) -> None:
    if store.kind != "sqlite":
        pytest.skip("SQLite's one write lock")
    tracker_store = TrackerStore.create(CONFIG, DOMAIN)
    waiting, other = new_id("conv"), new_id("conv")
    await tracker_store.save(conversation(other, "hello", "other"))
    with db.session_scope() as writer:
        _write_row(writer, new_id("conv"))  # holds the write lock until the block ends
        save = asyncio.create_task(tracker_store.save(conversation(waiting, "hi", "waiting")))
        await asyncio.sleep(0.5)  # the save is now waiting for the lock
        read = await tracker_store.retrieve(other)  # the event loop is free meanwhile
        assert read is not None and read.get_slot("threat_description") == "other"
        assert not save.done()
    await save
    assert (await tracker_store.retrieve(waiting)).get_slot("threat_description") == "waiting"
