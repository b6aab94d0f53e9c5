"""Validation of the referral form: every answer is free text; bot.intake reads it and
decides (bot.intake.routing, bot.intake.consent). Here: the tracker in, events and
messages out."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedFormValidationAction
from actions.readback import follow
from actions.responses import has_response
from bot.intake.consent import form_questions
from bot.intake.questions import FORM_SLOTS
from bot.intake.readback import READBACK_SLOTS
from bot.intake.routing import route_answer, route_readback_reply, route_summary_reply


def _user_text(tracker: Tracker, value: Any) -> str:
    return tracker.latest_message.get("text") or ("" if value is None else str(value))


class ValidateReferralForm(GuardedFormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        return form_questions(tracker.slots)

    async def validate_summary_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        route = route_summary_reply(_user_text(tracker, value), tracker.slots)
        return follow(route, dispatcher, tracker, domain)

    async def validate_answer(
        self,
        slot: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        route = route_answer(slot, _user_text(tracker, value), tracker.slots,
                             lambda name: has_response(domain, name))
        return follow(route, dispatcher, tracker, domain)

    async def validate_readback(
        self,
        name: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        """The reply to "I understood: ... Is that right?" (or to a pick)."""
        route = route_readback_reply(name, _user_text(tracker, value), tracker.slots,
                                     lambda response: has_response(domain, response))
        return follow(route, dispatcher, tracker, domain)


def _validator(slot: str):
    async def validate(
        self: ValidateReferralForm,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        if slot in READBACK_SLOTS:
            return await self.validate_readback(slot, value, dispatcher, tracker, domain)
        return await self.validate_answer(slot, value, dispatcher, tracker, domain)

    return validate


# rasa_sdk looks validators up by name (validate_<slot>); every slot but the summary shares one.
for _slot in (*FORM_SLOTS, *READBACK_SLOTS):
    if _slot != "summary_confirmed":
        setattr(ValidateReferralForm, f"validate_{_slot}", _validator(_slot))

__all__ = ["ValidateReferralForm"]
