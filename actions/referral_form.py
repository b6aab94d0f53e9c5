"""Validation of the referral form: every answer is free text normalized by bot.intake."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedFormValidationAction
from actions.responses import has_response
from bot.intake.corrections import apply_correction, parse_correction
from bot.intake.draft import answer_updates, answers_from_slots
from bot.intake.normalize import parse_answer, parse_yes_no
from bot.intake.questions import BOOLEAN_SLOTS, CHOICES, FORM_SLOTS, required_slots

# Consent is asked second and nothing sensitive before it: without consent the form ends there.
CONSENT_GATE = ("partner_case_reference", "consent_to_share")


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
        if tracker.get_slot("consent_to_share") is False:
            return list(CONSENT_GATE)
        return required_slots(tracker.slots)

    async def validate_summary_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        text = _user_text(tracker, value)
        # "actually she is in Uganda, not Kenya" typed as the answer to the summary: a
        # correction is looked for first, since it may well contain a "no" or a "not".
        updates = _correction_updates(text, tracker, "summary_confirmed")
        if updates:
            dispatcher.utter_message(response="utter_correction_applied")
            return {**updates, "summary_confirmed": None}
        answer = parse_yes_no(text, "summary_confirmed")
        if answer.ok and answer.value is True:
            return {"summary_confirmed": True, "misunderstood": 0}
        if answer.ok:
            dispatcher.utter_message(response="utter_what_to_change")
            return {"summary_confirmed": None}
        dispatcher.utter_message(response="utter_invalid_summary_confirmed")
        return {"summary_confirmed": None}

    async def validate_answer(
        self,
        slot: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        text = _user_text(tracker, value)
        parsed = parse_answer(slot, text)
        if parsed.ok:
            return answer_updates(slot, parsed)
        # An answer to an earlier question may arrive here when NLU took it for an answer.
        updates = _correction_updates(text, tracker, slot)
        if updates and slot not in updates:
            dispatcher.utter_message(response="utter_correction_applied")
            return {**updates, slot: None}
        misunderstood = int(tracker.get_slot("misunderstood") or 0) + 1
        specific = f"utter_{parsed.problem}_{slot}"
        dispatcher.utter_message(
            response=specific if has_response(domain, specific) else f"utter_invalid_{slot}"
        )
        if misunderstood >= 2:
            # Twice in a row: offer the choices (the question's buttons follow) or an example.
            fixed = slot in CHOICES or slot in BOOLEAN_SLOTS
            dispatcher.utter_message(
                response="utter_choose_option" if fixed else f"utter_help_{slot}"
            )
        return {slot: None, "misunderstood": misunderstood}


def _correction_updates(text: str, tracker: Tracker, requested: str) -> dict[str, Any]:
    answers = answers_from_slots(tracker.slots)
    correction = parse_correction(text, answers, None)
    if correction is None or correction.value is None or correction.slot == requested:
        return {}
    if correction.slot not in answers:
        return {}
    return apply_correction(answers, correction)


def _validator(slot: str):
    async def validate(
        self: ValidateReferralForm,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        return await self.validate_answer(slot, value, dispatcher, tracker, domain)

    return validate


# rasa_sdk looks validators up by name (validate_<slot>); every slot but the summary shares one.
for _slot in FORM_SLOTS:
    if _slot != "summary_confirmed":
        setattr(ValidateReferralForm, f"validate_{_slot}", _validator(_slot))
