"""Validation of the referral form: every answer is free text normalized by bot.intake."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedFormValidationAction
from actions.readback import numbered_options, say_changes
from actions.responses import has_response, language
from bot.intake.corrections import apply_correction, is_correction, parse_correction
from bot.intake.draft import answer_updates, answers_from_slots
from bot.intake.normalize import parse_answer, parse_yes_no
from bot.intake.questions import (
    ACTIVITY_DESCRIPTION,
    BOOLEAN_SLOTS,
    CHOICES,
    FORM_SLOTS,
    required_slots,
)
from bot.intake.readback import (
    ACCEPT,
    READBACK_SLOTS,
    REJECT,
    pending,
    readback_slot,
    resolve,
    slot_of,
    with_readback,
)

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
        return with_readback(required_slots(tracker.slots), tracker.get_slot("readback"))

    async def validate_summary_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        text_ = _user_text(tracker, value)
        # "actually she is in Uganda, not Kenya" typed as the answer to the summary: a
        # correction is looked for first, since it may well contain a "no" or a "not".
        corrected = _corrected(text_, "summary_confirmed", dispatcher, tracker, domain)
        if corrected is not None:
            return corrected
        answer = parse_yes_no(text_, "summary_confirmed")
        if answer.ok and answer.value is True and answer.sure:
            return {"summary_confirmed": True, "misunderstood": 0}
        if answer.ok and answer.value is False:
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
        text_ = _user_text(tracker, value)
        corrected = _corrected(text_, slot, dispatcher, tracker, domain)
        if corrected is not None:
            return corrected
        parsed = parse_answer(slot, text_)
        if parsed.needs_readback:
            # Read back before storing: the form asks confirm_<slot> next.
            return {slot: None, "readback": pending(slot, parsed), **_described(slot, text_)}
        if parsed.ok:
            return {**answer_updates(slot, parsed, tracker.slots), **_described(slot, text_)}
        return self._not_understood(slot, parsed.problem, dispatcher, tracker, domain)

    def _not_understood(
        self,
        slot: str,
        problem: str | None,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        """Asked again in other words once; from the second time, the options, numbered."""
        misunderstood = int(tracker.get_slot("misunderstood") or 0) + 1
        specific = f"utter_{problem}_{slot}"
        dispatcher.utter_message(
            response=specific if has_response(domain, specific) else f"utter_invalid_{slot}"
        )
        if misunderstood >= 2:
            fixed = slot in CHOICES or slot in BOOLEAN_SLOTS
            if fixed:
                options = numbered_options(slot, domain, language(tracker))
                dispatcher.utter_message(response="utter_choose_numbered", options=options)
            else:
                dispatcher.utter_message(response=f"utter_help_{slot}")
        return {slot: None, "misunderstood": misunderstood}

    async def validate_readback(
        self,
        name: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        """The reply to "I understood: ... Is that right?" (or to a pick)."""
        slot = slot_of(name) or ""
        readback = tracker.get_slot("readback") or {}
        text_ = _user_text(tracker, value)
        corrected = _corrected(text_, slot, dispatcher, tracker, domain, asked=name)
        if corrected is not None:
            return corrected
        verdict, answer = resolve(readback, text_)
        if verdict == ACCEPT:
            return {slot: answer, "readback": None, name: None, "misunderstood": 0}
        misunderstood = int(tracker.get_slot("misunderstood") or 0) + 1
        if verdict == REJECT:
            dispatcher.utter_message(response="utter_readback_rejected")
            return {slot: None, "readback": None, name: None, "misunderstood": misunderstood}
        if misunderstood >= 2:
            # No dead loop: the question itself again, with its options numbered.
            return {**self._not_understood(slot, None, dispatcher, tracker, domain),
                    "readback": None, name: None}
        dispatcher.utter_message(response="utter_readback_unclear")
        return {name: None, "misunderstood": misunderstood}


def _corrected(
    text_: str,
    slot: str,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: dict[str, Any],
    asked: str | None = None,
) -> dict[str, Any] | None:
    """Correction words first ("wait, I said four before, it is five"): the change, said
    exactly, and the question asked (`asked`, else `slot`) asked again. Without them the
    message answers the question asked, whatever earlier topic it mentions."""
    correction = correction_updates(text_, tracker, slot)
    if correction is None:
        return None
    say_changes(dispatcher, tracker, domain, correction)
    return {**correction, asked or slot: None}


def _described(slot: str, text_: str) -> dict[str, Any]:
    return {ACTIVITY_DESCRIPTION: text_.strip()[:2000]} if slot == "hrd_activity" else {}


def correction_updates(text_: str, tracker: Tracker, requested: str) -> dict[str, Any] | None:
    """The slot updates a correction of an earlier answer asks for, or None when the
    message is not a correction of another question."""
    answers = answers_from_slots(tracker.slots)
    if not answers or not is_correction(text_, answers, requested):
        return None
    correction = parse_correction(text_, answers, requested)
    if correction is None or correction.slot == requested or correction.slot not in answers:
        return None
    if correction.value is None:
        # Named but unreadable: ask that question again, after the pending one.
        return None
    return apply_correction(answers, correction)


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

__all__ = ["ValidateReferralForm", "correction_updates", "readback_slot"]
