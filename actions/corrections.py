"""Corrections of an earlier answer, at any point before the referral is submitted."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import REFERRAL_FORM, answer_in_disguise, draft_exists, open_form
from actions.guard import GuardedAction
from actions.readback import say_changes
from bot.intake.corrections import apply_correction, is_correction, parse_correction
from bot.intake.draft import answers_from_slots
from bot.intake.readback import READBACK_SLOTS, readback_slot, slot_of


class ActionApplyCorrection(GuardedAction):
    def name(self) -> str:
        return "action_apply_correction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not draft_exists(tracker):
            dispatcher.utter_message(response="utter_correction_no_draft")
            return []
        in_form = (tracker.active_loop or {}).get("name") == REFERRAL_FORM
        answers = answers_from_slots(tracker.slots)
        requested = tracker.get_slot("requested_slot")
        # At a read-back, a correction is most likely about the answer being read back.
        asked = slot_of(requested) or requested
        text = tracker.latest_message.get("text") or ""
        if in_form and not is_correction(text, answers, asked or ""):
            # No correction words: NLU took an answer to the question asked for one.
            answer = answer_in_disguise(tracker)
            if answer:
                return answer
        events = self._correct(dispatcher, tracker, domain, text, asked)
        # A correction to a paused draft re-opens it, so the caseworker sees what comes next.
        if not in_form:
            events += open_form(tracker)
        return events

    def _correct(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
        text: str,
        asked: str | None,
    ) -> list[EventType]:
        answers = answers_from_slots(tracker.slots)
        correction = parse_correction(text, answers, asked)
        if correction is None:
            dispatcher.utter_message(response="utter_correction_not_understood")
            return []
        if correction.value is None:
            dispatcher.utter_message(response="utter_correction_ask_again")
            return [SlotSet(correction.slot, None), SlotSet("summary_confirmed", None)]
        if correction.slot == asked and answers.get(asked) is None:
            # The answer to the pending question (or to its read-back), not a change.
            events: list[EventType] = [
                SlotSet(asked, correction.value),
                SlotSet("readback", None),
                SlotSet("misunderstood", 0),
            ]
            if readback_slot(asked) in READBACK_SLOTS:
                events.append(SlotSet(readback_slot(asked), None))
            return events
        updates = apply_correction(answers, correction)
        say_changes(dispatcher, tracker, domain, updates)
        return [SlotSet(slot, value) for slot, value in updates.items()]
