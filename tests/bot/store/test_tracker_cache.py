"""The tracker cache (bot/store/tracker_cache.py) never serves a stale conversation: each
store instance stands for one Rasa process with its own cache, all on one database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.store import crypto, db

from .conftest import StoreEnv, new_id
from .test_tracker_store import DOMAIN, conversation

CONFIG = EndpointConfig(type="bot.store.tracker_store.EncryptedSQLTrackerStore")


def rasa_process() -> TrackerStore:
    """A tracker store as one more Rasa process would build it."""
    return TrackerStore.create(CONFIG, DOMAIN)


def texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def said(text: str) -> UserUttered:
    return UserUttered(text, {"name": "inform", "confidence": 1.0})


def start_second_session(tracker: DialogueStateTracker) -> None:
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted(timestamp=tracker.events[-1].timestamp + 1))
    tracker.update(UserUttered("second session", {"name": "inform", "confidence": 1.0},
                               timestamp=tracker.events[-1].timestamp + 2))


async def take_turns(tracker_store: TrackerStore, sender: str, turns: range) -> None:
    """Each turn as Rasa takes it: retrieve, a user message and a slot, save."""
    for turn in turns:
        tracker = await tracker_store.retrieve(sender)
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(said(f"turn {turn}"))
        tracker.update(SlotSet("threat_description", f"v{turn}"))
        await tracker_store.save(tracker)


async def test_a_turn_saved_by_another_process_is_seen(store: StoreEnv) -> None:
    first, second = rasa_process(), rasa_process()
    sender = new_id("conv")
    await first.save(conversation(sender, "hello", "first value"))
    assert texts(await first.retrieve(sender)) == ["hello"]  # now in the first one's cache

    tracker = await second.retrieve(sender)
    tracker.update(said("from the other process"))
    tracker.update(SlotSet("threat_description", "second value"))
    await second.save(tracker)

    seen = await first.retrieve(sender)
    assert texts(seen) == ["hello", "from the other process"]
    assert seen.get_slot("threat_description") == "second value"
    assert texts(await first.retrieve_full_tracker(sender)) == ["hello", "from the other process"]


async def test_rows_replaced_or_deleted_by_another_process_are_seen(store: StoreEnv) -> None:
    cached, other = rasa_process(), rasa_process()
    sender = new_id("conv")
    tracker = conversation(sender, "first", "a")
    tracker.update(said("second"))
    await cached.save(tracker)
    assert texts(await cached.retrieve(sender)) == ["first", "second"]

    # The last event replaced by another one: same count, higher id.
    with db.engine().begin() as connection:
        last = connection.execute(sa.text(
            "SELECT max(id) FROM tracker_events WHERE sender_id = :s"), {"s": sender}).scalar()
        connection.execute(sa.text("DELETE FROM tracker_events WHERE id = :i"), {"i": last})
    replaced = await other.retrieve(sender)
    replaced.update(said("replacement"))
    await other.save(replaced)
    assert texts(await cached.retrieve(sender)) == ["first", "replacement"]

    # The whole conversation purged.
    with db.engine().begin() as connection:
        connection.execute(sa.text("DELETE FROM tracker_events WHERE sender_id = :s"),
                           {"s": sender})
    assert await cached.retrieve(sender) is None


async def test_a_new_session_from_another_process_starts_the_tracker_afresh(
    store: StoreEnv,
) -> None:
    cached, other = rasa_process(), rasa_process()
    sender = new_id("conv")
    await cached.save(conversation(sender, "first session", "a"))
    assert texts(await cached.retrieve(sender)) == ["first session"]

    tracker = await other.retrieve_full_tracker(sender)
    start_second_session(tracker)
    await other.save(tracker)
    assert texts(await cached.retrieve(sender)) == ["second session"]
    assert texts(await cached.retrieve_full_tracker(sender)) == ["first session",
                                                                 "second session"]


async def test_changes_not_saved_never_reach_the_next_turn(store: StoreEnv) -> None:
    tracker_store = rasa_process()
    sender = new_id("conv")
    await tracker_store.save(conversation(sender, "hello", "kept"))
    failed_turn = await tracker_store.retrieve(sender)
    failed_turn.update(said("never saved"))
    failed_turn.update(SlotSet("threat_description", "never saved"))

    again = await tracker_store.retrieve(sender)
    assert texts(again) == ["hello"]
    assert again.get_slot("threat_description") == "kept"


async def test_turn_by_turn_tracker_equals_a_fresh_load(store: StoreEnv) -> None:
    cached = rasa_process()
    sender = new_id("conv")
    await cached.save(conversation(sender, "turn 0", "v0"))
    await take_turns(cached, sender, range(1, 6))
    served, fresh = await cached.retrieve(sender), await rasa_process().retrieve(sender)
    assert served.current_state() == fresh.current_state()
    assert served.get_slot("threat_description") == "v5"
    assert texts(served) == [f"turn {n}" for n in range(6)]


async def test_a_new_model_rebuilds_the_tracker_with_its_slots(store: StoreEnv) -> None:
    tracker_store = rasa_process()
    sender = new_id("conv")
    await tracker_store.save(conversation(sender, "hello", "kept"))
    assert "language" not in (await tracker_store.retrieve(sender)).slots
    tracker_store.domain = DOMAIN.merge(Domain.from_yaml("""
version: "3.1"
slots:
  language:
    type: text
    mappings: [{type: custom}]
"""))
    assert "language" in (await tracker_store.retrieve(sender)).slots


async def test_a_saved_turn_is_served_without_reading_it_back(
    store: StoreEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker_store = rasa_process()
    sender = new_id("conv")
    await tracker_store.save(conversation(sender, "hello", "v0"))
    await tracker_store.retrieve(sender)  # cached
    decrypted: list[bytes] = []
    real_decrypt = crypto.decrypt_json
    monkeypatch.setattr(crypto, "decrypt_json",
                        lambda data, label: decrypted.append(data) or real_decrypt(data, label))
    await take_turns(tracker_store, sender, range(1, 4))
    served = await tracker_store.retrieve(sender)
    assert decrypted == []  # the saved turns were handed to the cache, not read back
    fresh = await rasa_process().retrieve(sender)
    assert served.current_state() == fresh.current_state()
    assert texts(fresh) == ["hello", "turn 1", "turn 2", "turn 3"]
    assert fresh.get_slot("threat_description") == "v3"


async def test_a_turn_that_outlived_its_lock_is_not_lost(store: StoreEnv) -> None:
    """A turn longer than the lock's lifetime: another process took the conversation and saved
    its own turn meanwhile. Rasa's count of stored rows would drop the slow turn's events."""
    slow_process, other = rasa_process(), rasa_process()
    sender = new_id("conv")
    await slow_process.save(conversation(sender, "hello", "v0"))
    slow_turn = await slow_process.retrieve(sender)

    quick_turn = await other.retrieve(sender)
    quick_turn.update(said("quick turn"))
    await other.save(quick_turn)

    slow_turn.update(said("slow turn"))
    slow_turn.update(SlotSet("threat_description", "slow value"))
    await slow_process.save(slow_turn)

    for seen in (await slow_process.retrieve(sender), await rasa_process().retrieve(sender)):
        assert texts(seen) == ["hello", "quick turn", "slow turn"]
        assert seen.get_slot("threat_description") == "slow value"


async def test_a_turn_starting_a_session_is_saved_whole(store: StoreEnv) -> None:
    tracker_store = rasa_process()
    sender = new_id("conv")
    await tracker_store.save(conversation(sender, "first session", "a"))
    tracker = await tracker_store.retrieve(sender)
    start_second_session(tracker)
    await tracker_store.save(tracker)
    for process in (tracker_store, rasa_process()):
        assert texts(await process.retrieve(sender)) == ["second session"]
        assert texts(await process.retrieve_full_tracker(sender)) == ["first session",
                                                                      "second session"]
