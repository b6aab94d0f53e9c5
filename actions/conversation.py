"""Starting, resuming, pausing the referral, and messages that are not answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import answer_in_disguise, draft_exists, open_form, org_refusal
from actions.guard import GuardedAction
from bot.intake.dialogue import (
    accepts_start,
    fallback_response,
    greeting_starts,
    interjection_may_name_places,
    interjection_response,
    previous_bot_action,
)


def _start(dispatcher: CollectingDispatcher, tracker: Tracker, intro: str) -> list[EventType]:
    """Open the form if the caseworker's organization may refer today; else refuse at once."""
    refusal = org_refusal(tracker)
    if refusal is not None:
        name, values = refusal
        dispatcher.utter_message(response=name, **values)
        return []
    dispatcher.utter_message(response="utter_welcome_back" if draft_exists(tracker) else intro)
    return open_form(tracker)


class ActionGreet(GuardedAction):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if greeting_starts(tracker.slots, tracker.latest_message.get("text") or ""):
            return _start(dispatcher, tracker, "utter_start_intro")
        dispatcher.utter_message(response="utter_greet")
        return []


class ActionStartReferral(GuardedAction):
    def name(self) -> str:
        return "action_start_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return _start(dispatcher, tracker, "utter_start_intro")


class ActionResume(GuardedAction):
    def name(self) -> str:
        return "action_resume"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return _start(dispatcher, tracker, "utter_nothing_to_resume")


class ActionPause(GuardedAction):
    def name(self) -> str:
        return "action_pause"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answer = answer_in_disguise(tracker)
        if answer:  # "Goodbye" was not meant: an answer NLU took for one (the form goes on)
            return answer
        has_draft = draft_exists(tracker)
        dispatcher.utter_message(response="utter_paused" if has_draft else "utter_help_general")
        return [ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionInterjection(GuardedAction):
    def name(self) -> str:
        return "action_interjection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = _intent(tracker)
        answer = answer_in_disguise(tracker, places=interjection_may_name_places(intent))
        if answer:
            return answer
        dispatcher.utter_message(response=interjection_response(intent))
        return []


class ActionFallback(GuardedAction):
    """Never loops: the second misunderstanding in a row offers choices instead."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = _intent(tracker)
        previous = previous_bot_action(tracker.events)
        text = tracker.latest_message.get("text") or ""
        active_loop = (tracker.active_loop or {}).get("name")
        if accepts_start(tracker.slots, active_loop, intent, previous, text):
            # "sure, let's do it" after the offer to start, or an answer as first message.
            return _start(dispatcher, tracker, "utter_start_intro")
        dispatcher.utter_message(response=fallback_response(intent, previous == self.name()))
        return []


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")
