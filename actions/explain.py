"""Why a question is asked, and help with it; the form then asks the same question again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedAction
from actions.responses import has_response
from bot.intake.dialogue import explanation


class ActionExplainQuestion(GuardedAction):
    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(response=explanation(
            intent, tracker.get_slot("requested_slot"), lambda name: has_response(domain, name)))
        return []
