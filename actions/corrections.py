"""Corrections of an earlier answer, at any point before the referral is submitted."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import REFERRAL_FORM, draft_exists, open_form
from actions.guard import GuardedAction
from bot.intake.corrections import apply_correction, parse_correction
from bot.intake.draft import answers_from_slots


class ActionApplyCorrection(GuardedAction):
    def name(self) -> str:
        return "action_apply_correction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not draft_exists(tracker):
            dispatcher.utter_message(response="utter_correction_no_draft")
            return []
        answers = answers_from_slots(tracker.slots)
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        correction = parse_correction(text, answers, requested)
        events: list[EventType] = []
        if correction is None:
            dispatcher.utter_message(response="utter_correction_not_understood")
        else:
            updates = apply_correction(answers, correction)
            events = [SlotSet(slot, value) for slot, value in updates.items()]
            dispatcher.utter_message(
                response="utter_correction_applied"
                if correction.value is not None
                else "utter_correction_ask_again"
            )
        # A correction to a paused draft re-opens it, so the caseworker sees what comes next.
        if (tracker.active_loop or {}).get("name") != REFERRAL_FORM:
            events += open_form(tracker)
        return events
