"""Session start: keep a paused draft across sessions and take the organization from auth."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedAction

# Metadata that only the project's authenticated channels set (bot/channels); any value a
# client tries to pass under this key is replaced by the channel before it reaches Rasa.
AUTH_METADATA_KEY = "hrd_auth"
LANGUAGES = ("en", "fr")


class ActionSessionStart(GuardedAction):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        # Carry the draft over: a caseworker who comes back later continues where they stopped.
        events += [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None and name not in ("requested_slot", "session_started_metadata")
        ]
        metadata = tracker.get_slot("session_started_metadata") or {}
        auth = metadata.get(AUTH_METADATA_KEY) or {}
        if auth.get("partner_org"):
            events.append(SlotSet("partner_org", auth["partner_org"]))
        if auth.get("language") in LANGUAGES:
            events.append(SlotSet("language", auth["language"]))
        events.append(ActionExecuted("action_listen"))
        return events
