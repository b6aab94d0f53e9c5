"""The confirmation step: save the case with its decision, then explain the outcome."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import outbox_drainer
from actions.draft_state import clear_draft_events, org_may_refer, partner_org
from bot.intake.draft import answers_from_slots, new_intake_id
from bot.intake.outcome import outcome_messages
from bot.intake.questions import ACTIVITY_DESCRIPTION
from bot.store.outbox import Queued, submit_or_queue

logger = logging.getLogger(__name__)

# The action server imports this module at start: intakes spooled before a crash or while
# the database was down are saved as soon as it is reachable.
outbox_drainer.start()


class ActionSubmitReferral(Action):
    def name(self) -> str:
        return "action_submit_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # E8: without consent the intake stops before anything sensitive; nothing is stored.
        if tracker.get_slot("consent_to_share") is not True:
            dispatcher.utter_message(response="utter_consent_refused")
            return clear_draft_events()
        if not org_may_refer(tracker):
            dispatcher.utter_message(response="utter_org_cannot_refer")
            return clear_draft_events()
        if tracker.get_slot("summary_confirmed") is not True:
            return []
        answers = answers_from_slots(tracker.slots)
        description = tracker.get_slot(ACTIVITY_DESCRIPTION)
        if description:  # the caseworker's own words, for the officer (encrypted with the rest)
            answers[ACTIVITY_DESCRIPTION] = str(description)[:2000]
        result = submit_or_queue(
            intake_id=tracker.get_slot("intake_id") or new_intake_id(),
            sender_id=tracker.sender_id,
            partner_org=partner_org(tracker) or "",
            answers=answers,
            created_by=_user_id(tracker),
        )
        if isinstance(result, Queued):
            logger.warning("case database unavailable; intake %s queued", result.intake_id)
            dispatcher.utter_message(response="utter_queued")
            return clear_draft_events()
        logger.info("intake %s saved as %s", tracker.get_slot("intake_id"), result.reference)
        dispatcher.utter_message(response="utter_submitted", reference=result.reference)
        for name, values in outcome_messages(result.decision, answers.get("criminal_charges")):
            dispatcher.utter_message(response=name, **values)
        return [*clear_draft_events(), SlotSet("last_case_reference", result.reference)]


def _user_id(tracker: Tracker) -> int | None:
    """The signed-in user, from the authenticated channel's metadata (never from the text)."""
    metadata = tracker.get_slot("session_started_metadata") or {}
    user_id = (metadata.get("hrd_auth") or {}).get("user_id")
    return int(user_id) if isinstance(user_id, int | str) and str(user_id).isdigit() else None
