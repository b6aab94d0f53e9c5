"""Cancel asks once, then discards the draft (nothing is submitted) or resumes the form."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import REFERRAL_FORM, clear_draft_events, draft_exists
from actions.guard import GuardedAction, GuardedFormValidationAction
from bot.intake.normalize import parse_yes_no


class ActionCancel(GuardedAction):
    def name(self) -> str:
        return "action_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not draft_exists(tracker):
            dispatcher.utter_message(response="utter_nothing_to_cancel")
            return []
        return [SlotSet("cancel_confirmed", None), ActiveLoop("cancel_form")]


class ValidateCancelForm(GuardedFormValidationAction):
    def name(self) -> str:
        return "validate_cancel_form"

    async def validate_cancel_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        answer = parse_yes_no(tracker.latest_message.get("text") or str(value), "cancel_confirmed")
        if not answer.ok:
            dispatcher.utter_message(response="utter_invalid_cancel_confirmed")
            return {"cancel_confirmed": None}
        return {"cancel_confirmed": answer.value}


class ActionHandleCancel(GuardedAction):
    def name(self) -> str:
        return "action_handle_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("cancel_confirmed"):
            dispatcher.utter_message(response="utter_cancelled")
            return clear_draft_events()
        dispatcher.utter_message(response="utter_not_cancelled")
        return [SlotSet("cancel_confirmed", None), ActiveLoop(REFERRAL_FORM)]
