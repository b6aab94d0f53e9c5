"""Corrections of an earlier answer, at any point before the referral is submitted
(decided by bot.intake.routing.route_correction)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import draft_exists, in_form, open_form, slot_events
from actions.guard import GuardedAction
from actions.readback import follow
from bot.intake.routing import route_correction


class ActionApplyCorrection(GuardedAction):
    def name(self) -> str:
        return "action_apply_correction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not draft_exists(tracker):
            dispatcher.utter_message(response="utter_correction_no_draft")
            return []
        in_the_form = in_form(tracker)
        route = route_correction(tracker.latest_message.get("text") or "", tracker.slots,
                                 tracker.get_slot("requested_slot"), in_the_form)
        events = slot_events(follow(route, dispatcher, tracker, domain))
        # A correction to a paused draft re-opens it, so the caseworker sees what comes next.
        if not in_the_form:
            events += open_form(tracker)
        return events
