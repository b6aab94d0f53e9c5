"""Conversation repair (issue 20): repeat, handoff to a person, privacy, what happens next,
thanks after the outcome, and the country question for a stateless defender. The decisions
are in bot.intake (repair, privacy, completion); here the tracker in, messages out. None of
these changes the draft; a handoff only adds a flag for a supervisor, outside the draft.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.draft_state import draft_exists, in_form, partner_org
from actions.guard import GuardedAction
from actions.responses import language
from bot.config import repair_settings, settings
from bot.intake.completion import next_steps_responses, thanks_response
from bot.intake.privacy import PrivacySettings, privacy_messages
from bot.intake.questions import STATELESS
from bot.intake.repair import privacy_topics
from bot.rules import policy_on
from bot.store.attention import HUMAN_HANDOFF, flag_draft

logger = logging.getLogger(__name__)


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


class ActionAskCountryOfOrigin(GuardedAction):
    """The country question; for a stateless defender, the country of former habitual
    residence (bot.intake.routing records the statelessness)."""

    def name(self) -> str:
        return "action_ask_country_of_origin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        stateless = tracker.get_slot(STATELESS) is True
        dispatcher.utter_message(
            response="utter_ask_former_residence" if stateless else "utter_ask_country_of_origin")
        return []


class ActionRepeatQuestion(GuardedAction):
    """In the form, a lead-in: the form then asks the pending question again, with its
    options. Outside it, the last thing the assistant said, as it was said."""

    def name(self) -> str:
        return "action_repeat_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if in_form(tracker):
            dispatcher.utter_message(response="utter_repeat_lead")
            return []
        last = _last_bot_messages(tracker.events)
        if not last:
            dispatcher.utter_message(response="utter_nothing_to_repeat")
        for message in last:
            dispatcher.utter_message(text=message.get("text"),
                                     buttons=(message.get("data") or {}).get("buttons") or [])
        return []


def _last_bot_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assistant's messages of its last turn (after the previous user message)."""
    turn: list[dict[str, Any]] = []
    seen_user = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            if seen_user and turn:
                break
            seen_user = True
        elif kind == "bot" and seen_user and event.get("text"):
            turn.insert(0, event)
    return turn


class ActionHumanHandoff(GuardedAction):
    """The program's contact route for partners (HRD_HANDOFF_CONTACT), the draft flagged
    for a supervisor, and the choice to go on or pause."""

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        contact = repair_settings()["handoff_contact"]
        if contact:
            dispatcher.utter_message(response="utter_handoff_contact", contact=contact)
        else:
            dispatcher.utter_message(response="utter_handoff_no_contact")
        intake_id = tracker.get_slot("intake_id")
        if intake_id and draft_exists(tracker):
            # The contact route is said first: a database fault must not keep it from them.
            try:
                flag_draft(intake_id=intake_id, sender_id=tracker.sender_id,
                           partner_org=partner_org(tracker) or "", reason=HUMAN_HANDOFF,
                           question=tracker.get_slot("requested_slot"))
            except Exception as error:  # reported; the reply still helps
                logger.error("handoff flag for intake %s not saved (%s)", intake_id,
                             type(error).__name__)
            else:
                dispatcher.utter_message(response="utter_handoff_flagged")
            dispatcher.utter_message(
                response="utter_handoff_continue" if in_form(tracker) else "utter_handoff_paused")
        return []


def privacy_view(tracker: Tracker) -> PrivacySettings:
    """The deployment's real settings, as the privacy answers need them."""
    conf = settings()
    extra = repair_settings()
    org = partner_org(tracker) or ""
    try:
        organization = policy_on(datetime.now(UTC)).partner_name(org, language(tracker))
    except Exception:  # no policy in force yet: the id is still true
        organization = org
    days = extra["retention_days"]
    contact = extra["handoff_contact"]
    return PrivacySettings(
        database_url=conf.database_url, key_from_setting=conf.data_key is not None,
        retention_days=days if isinstance(days, int) else None,
        contact=str(contact) if contact else None, organization=organization or "-")


def say_privacy(dispatcher: CollectingDispatcher, tracker: Tracker,
                topics: tuple[str, ...] | None = None) -> None:
    for name, values in privacy_messages(privacy_view(tracker), topics or ()):
        dispatcher.utter_message(response=name, **values)


class ActionPrivacy(GuardedAction):
    """Who sees the referral, where and how it is kept, for how long, how to withdraw it."""

    def name(self) -> str:
        return "action_privacy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        say_privacy(dispatcher, tracker, privacy_topics(_text(tracker)))
        return []


class ActionNextSteps(GuardedAction):
    def name(self) -> str:
        return "action_next_steps"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reference = tracker.get_slot("last_case_reference") or ""
        for name in next_steps_responses(_text(tracker), tracker.get_slot("last_outcome"),
                                         in_form(tracker) or draft_exists(tracker)):
            dispatcher.utter_message(response=name, reference=reference)
        return []


class ActionThank(GuardedAction):
    def name(self) -> str:
        return "action_thank"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reference = tracker.get_slot("last_case_reference")
        dispatcher.utter_message(
            response=thanks_response(tracker.get_slot("last_outcome"), reference,
                                     in_form(tracker) or draft_exists(tracker)),
            reference=reference or "")
        return []
