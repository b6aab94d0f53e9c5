"""Starting, resuming, pausing the referral, and messages that are not answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import answer_in_disguise, draft_exists, open_form, org_refusal
from actions.guard import GuardedAction
from bot.intake.normalize import asks_to_start, looks_like_answer, parse_yes_no


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
        if draft_exists(tracker) or asks_to_start(tracker.latest_message.get("text") or ""):
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


# Which response answers a message that is not an answer, before the question is asked again.
INTERJECTIONS = {
    "out_of_scope": "utter_out_of_scope",
    "bot_challenge": "utter_iamabot",
    "thank": "utter_you_are_welcome",
    "greet": "utter_already_in_referral",
    "start_referral": "utter_already_in_referral",
    "resume": "utter_already_in_referral",
}


class ActionInterjection(GuardedAction):
    def name(self) -> str:
        return "action_interjection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        # Off-topic questions often name places ("weather in Toronto"), so an off-topic
        # message answers no country question; it may still answer another one ("he has a
        # heart condition" read as off-topic at the medical question).
        places = intent != "out_of_scope"
        answer = answer_in_disguise(tracker, places=places)
        if answer:
            return answer
        dispatcher.utter_message(response=INTERJECTIONS.get(intent, "utter_out_of_scope"))
        return []


class ActionFallback(GuardedAction):
    """Never loops: the second misunderstanding in a row offers choices instead."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        previous = _previous_bot_action(tracker)
        if _accepts_start(tracker, intent, previous):
            # "sure, let's do it" after the offer to start, or an answer as first message.
            return _start(dispatcher, tracker, "utter_start_intro")
        if previous == self.name():
            dispatcher.utter_message(response="utter_not_understood_choices")
        elif intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_not_understood")
        return []


def _accepts_start(tracker: Tracker, intent: str | None, previous: str | None) -> bool:
    """After the greeting's offer, anything but a no starts; with nothing said before, an
    answer-like message (inform) starts too."""
    if draft_exists(tracker) or (tracker.active_loop or {}).get("name"):
        return False
    if intent in ("deny", "out_of_scope"):
        return False
    text = tracker.latest_message.get("text") or ""
    if previous == "action_greet":
        if intent in ("affirm", "start_referral"):
            return True
        verdict = parse_yes_no(text)
        if verdict.ok:
            return verdict.value is True
    elif previous not in (None, "action_session_start"):
        return False
    return intent == "inform" and looks_like_answer(text)


def _previous_bot_action(tracker: Tracker) -> str | None:
    """The last action run before the latest user message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name != "action_listen":
                return name
    return None
