"""The encrypted tracker store, loaded the way Rasa loads it from endpoints.yml."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.store import crypto, db
from bot.store.tracker_store import EncryptedSQLTrackerStore

from .conftest import StoreEnv, new_id

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [inform]
slots:
  threat_description:
    type: text
    mappings: [{type: from_text}]
""")


@pytest.fixture(scope="module")
def tracker_store(store: StoreEnv) -> Iterator[TrackerStore]:
    patch = pytest.MonkeyPatch()
    if store.kind == "postgresql":  # a shared database: Rasa refuses to start without it
        patch.setenv("HRD_DATA_KEY", crypto.current_keyring().to_text())
    # As endpoints.yml would: connection arguments are ignored in favour of the settings.
    config = EndpointConfig(type="bot.store.tracker_store.EncryptedSQLTrackerStore",
                            url="postgresql://elsewhere:1/other", db="other.db",
                            username="nobody")
    created = TrackerStore.create(config, DOMAIN)
    assert isinstance(created, EncryptedSQLTrackerStore)
    assert created.engine is db.engine()
    yield created
    patch.undo()


def conversation(sender: str, text: str, slot_value: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "inform", "confidence": 1.0}),
        SlotSet("threat_description", slot_value),
    ], DOMAIN.slots)


async def test_round_trip_and_nothing_in_clear(
    store: StoreEnv, tracker_store: TrackerStore, caplog: pytest.LogCaptureFixture
) -> None:
    sender = new_id("conv")
    marker = "QUOKKA-" + new_id("m")
    tracker = conversation(sender, f"she was followed near {marker}", f"slot {marker}")
    with caplog.at_level(logging.DEBUG):
        await tracker_store.save(tracker)
        tracker.update(UserUttered(f"and again {marker}", {"name": "inform", "confidence": 1.0}))
        await tracker_store.save(tracker)  # only the new event is appended
        restored = await tracker_store.retrieve(sender)
    assert restored is not None
    texts = [e.text for e in restored.events if isinstance(e, UserUttered)]
    assert texts == [f"she was followed near {marker}", f"and again {marker}"]
    assert restored.get_slot("threat_description") == f"slot {marker}"
    assert len(restored.events) == len(tracker.events)
    assert sender in await tracker_store.keys()
    assert marker not in caplog.text

    with db.engine().connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT type_name, intent_name, action_name FROM tracker_events WHERE sender_id = :s"
        ), {"s": sender}).all()
    # Only the event type in clear: no slot, intent or action name says what was asked.
    assert {tuple(r) for r in rows} == {("action", None, None), ("session_started", None, None),
                                        ("user", None, None), ("slot", None, None)}
    stored = store.stored_bytes()
    assert sender.encode() in stored
    store.assert_not_stored(marker)


async def test_full_tracker_across_sessions(tracker_store: TrackerStore) -> None:
    sender = new_id("conv")
    tracker = conversation(sender, "first session", "a")
    await tracker_store.save(tracker)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted(timestamp=tracker.events[-1].timestamp + 1))
    tracker.update(UserUttered("second session", {"name": "inform", "confidence": 1.0},
                               timestamp=tracker.events[-1].timestamp + 2))
    await tracker_store.save(tracker)
    latest = await tracker_store.retrieve(sender)
    full = await tracker_store.retrieve_full_tracker(sender)
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [
        "first session", "second session"]
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["second session"]


async def test_events_cannot_be_moved_between_conversations(tracker_store: TrackerStore) -> None:
    victim, other = new_id("conv"), new_id("conv")
    await tracker_store.save(conversation(victim, "secret words", "x"))
    await tracker_store.save(conversation(other, "hello", "y"))
    with db.engine().begin() as connection:
        connection.execute(sa.text("UPDATE tracker_events SET sender_id = :o WHERE sender_id = :v"),
                           {"o": other, "v": victim})
    with pytest.raises(crypto.DecryptionError):
        await tracker_store.retrieve_full_tracker(other)


async def test_unknown_sender_is_none(tracker_store: TrackerStore) -> None:
    assert await tracker_store.retrieve(new_id("conv")) is None
