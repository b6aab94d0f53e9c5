""""How many questions are left?" (issue 16): the answer comes from bot.intake.progress;
here the tracker in, one message out. It changes nothing: in the form, the form then asks
the pending question again (data/rules/repair.yml)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import in_form
from actions.guard import GuardedAction
from bot.intake.progress import questions_left


class ActionQuestionsLeft(GuardedAction):
    """Where the questionnaire stands ("This is question 9 of 16: 7 more after this one");
    outside the form, that no referral is in progress and how to start or resume one."""

    def name(self) -> str:
        return "action_questions_left"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        asked = tracker.get_slot("requested_slot") if in_form(tracker) else None
        response, values = questions_left(asked)
        dispatcher.utter_message(response=response, **values)
        return []
