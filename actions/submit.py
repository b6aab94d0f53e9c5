"""The confirmation step: save the case with its decision, then explain the outcome."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import clear_draft_events, org_refusal, partner_org
from actions.guard import GuardedAction
from bot.intake.completion import outcome_facts
from bot.intake.consent import consent_given
from bot.intake.draft import new_intake_id, submitted_answers
from bot.rules import outcome_messages
from bot.store.outbox import Queued, submit_or_queue

logger = logging.getLogger(__name__)


class ActionSubmitReferral(GuardedAction):
    def name(self) -> str:
        return "action_submit_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Consent is a precondition: without it the intake stops; nothing is stored (the
        # store refuses such an intake too).
        if not consent_given(tracker.slots):
            dispatcher.utter_message(response="utter_consent_refused")
            return clear_draft_events()
        refusal = org_refusal(tracker)
        if refusal is not None:
            name, values = refusal
            dispatcher.utter_message(response=name, **values)
            return clear_draft_events()
        if tracker.get_slot("summary_confirmed") is not True:
            return []
        answers = submitted_answers(tracker.slots)
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
            return [*clear_draft_events(), SlotSet("last_outcome", outcome_facts(None)),
                    SlotSet("last_case_reference", None)]
        logger.info("intake %s saved as %s", tracker.get_slot("intake_id"), result.reference)
        dispatcher.utter_message(response="utter_submitted", reference=result.reference)
        # Reasons cite the sources of the policy version the decision used.
        for name, values in outcome_messages(result.decision, answers):
            dispatcher.utter_message(response=name, **values)
        return [*clear_draft_events(), SlotSet("last_case_reference", result.reference),
                SlotSet("last_outcome", outcome_facts(result.decision))]


def _user_id(tracker: Tracker) -> int | None:
    """The signed-in user, from the authenticated channel's metadata (never from the text)."""
    metadata = tracker.get_slot("session_started_metadata") or {}
    user_id = (metadata.get("hrd_auth") or {}).get("user_id")
    return int(user_id) if isinstance(user_id, int | str) and str(user_id).isdigit() else None
