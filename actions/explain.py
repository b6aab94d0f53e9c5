"""Why a question is asked, and help with it; the form then asks the same question again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedAction
from actions.repair import say_privacy
from actions.responses import has_response
from bot.intake.dialogue import explains_privacy, explanation


class ActionExplainQuestion(GuardedAction):
    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        requested = tracker.get_slot("requested_slot")
        dispatcher.utter_message(response=explanation(
            intent, requested, lambda name: has_response(domain, name)))
        if explains_privacy(intent, requested):
            # Consent must be informed: "why?" at the consent question says where the
            # data goes, for how long and how to withdraw it (issue 20).
            say_privacy(dispatcher, tracker)
        return []
