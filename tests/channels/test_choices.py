"""Button presses (bot.channels.choices): only a payload the bot offered on its last message
reaches Rasa as is; the transcript shows a press by its title (no server)."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.channels.choices import chosen_payload, last_buttons, offered_buttons, pressed_text
from bot.console.review.transcripts import chat_messages

GREETING = [{"title": "Start a referral", "payload": "/start_referral"}]
YES_NO = [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}]


def _events() -> list[Any]:
    return [ActionExecuted("action_listen"), UserUttered("hello"),
            BotUttered("Hello.", {"buttons": GREETING}), UserUttered("/start_referral"),
            BotUttered("Consent?", {"buttons": YES_NO})]


def test_only_the_last_bot_messages_buttons_are_on_offer() -> None:
    assert last_buttons(_events()) == YES_NO
    assert last_buttons([*_events(), BotUttered("Thanks.")]) == []
    assert last_buttons([UserUttered("hi")]) == []


def test_a_press_is_its_payload_only_when_offered() -> None:
    assert pressed_text(GREETING, "/start_referral") == "/start_referral"
    assert pressed_text(YES_NO, "/start_referral") == "start_referral"  # not on offer
    assert pressed_text(YES_NO, '/inform{"language":"fr"}') == 'inform{"language":"fr"}'
    assert pressed_text([], "/restart") == "restart"
    assert pressed_text(YES_NO, "yes") == "yes"


def test_a_widget_choice_needs_its_index_and_title() -> None:
    assert chosen_payload(GREETING, 0, "Start a referral") == "/start_referral"
    assert chosen_payload(GREETING, 0, " Start a referral ") == "/start_referral"
    assert chosen_payload(YES_NO, 1, "No") == "no"
    for index, title in ((1, "Yes"), (2, "No"), (-1, "No"), ("0", "Yes"), (True, "No"),
                         (None, "Yes"), (0, None), (0, "/restart")):
        assert chosen_payload(YES_NO, index, title) is None


def test_offered_buttons_read_the_tracker_store_and_fail_closed() -> None:
    class Store:
        def __init__(self, fail: bool = False) -> None:
            self.fail = fail

        async def retrieve(self, sender_id: str) -> Any:
            if self.fail:
                raise OSError("database down")
            return type("Tracker", (), {"events": _events()})() if sender_id == "s" else None

    class Agent:
        def __init__(self, store: Store, locks: Any = None) -> None:
            self.tracker_store = store
            self.lock_store = locks

    assert asyncio.run(offered_buttons(Agent(Store()), "s")) == YES_NO
    assert asyncio.run(offered_buttons(Agent(Store(), InMemoryLockStore()), "s")) == YES_NO
    assert asyncio.run(offered_buttons(Agent(Store()), "unknown")) == []
    assert asyncio.run(offered_buttons(Agent(Store(fail=True)), "s")) == []
    assert asyncio.run(offered_buttons(None, "s")) == []


def test_the_transcript_shows_a_press_by_its_title() -> None:
    events = [e.as_dict() for e in _events()] + [UserUttered("yes").as_dict()]
    users = [m.text for m in chat_messages(events) if m.who == "user"]
    assert users == ["hello", "Start a referral", "Yes"]
