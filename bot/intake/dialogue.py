"""Turns that are not answers: when a message starts the referral, and which response
answers small talk, a misunderstanding or a "why?". Pure decisions over plain data (slots,
the intent's name, the text, the tracker's events as dicts); the actions say the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.intake.draft import has_draft
from bot.intake.normalize import asks_to_start, looks_like_answer, parse_yes_no
from bot.intake.readback import slot_of

# Which response answers a message that is not an answer, before the question is asked again.
INTERJECTIONS: dict[str, str] = {
    "out_of_scope": "utter_out_of_scope",
    "bot_challenge": "utter_iamabot",
    "thank": "utter_you_are_welcome",
    "greet": "utter_already_in_referral",
    "start_referral": "utter_already_in_referral",
    "resume": "utter_already_in_referral",
}


def greeting_starts(slots: Mapping[str, Any], text: str) -> bool:
    """A greeting goes straight on with a draft, or when it already asks for a referral."""
    return has_draft(slots) or asks_to_start(text)


def interjection_response(intent: str | None) -> str:
    return INTERJECTIONS.get(intent or "", "utter_out_of_scope")


def interjection_may_name_places(intent: str | None) -> bool:
    """Off-topic questions often name places ("weather in Toronto"), so an off-topic
    message answers no country question; it may still answer another one ("he has a
    heart condition" read as off-topic at the medical question)."""
    return intent != "out_of_scope"


def accepts_start(slots: Mapping[str, Any], active_loop: str | None, intent: str | None,
                  previous: str | None, text: str) -> bool:
    """After the greeting's offer, anything but a no starts; with nothing said before, an
    answer-like message (inform) starts too."""
    if has_draft(slots) or active_loop:
        return False
    if intent in ("deny", "out_of_scope"):
        return False
    if previous == "action_greet":
        if intent in ("affirm", "start_referral"):
            return True
        verdict = parse_yes_no(text)
        if verdict.ok:
            return verdict.value is True
    elif previous not in (None, "action_session_start"):
        return False
    return intent == "inform" and looks_like_answer(text)


def fallback_response(intent: str | None, repeated: bool) -> str:
    """Never loops: the second misunderstanding in a row offers choices instead."""
    if repeated:
        return "utter_not_understood_choices"
    if intent == "out_of_scope":
        return "utter_out_of_scope"
    return "utter_not_understood"


def previous_bot_action(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The last action run before the latest user message (events oldest first)."""
    seen_user = False
    for event in reversed(list(events)):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name != "action_listen":
                return name
    return None


# The consent question's "why" also answers the privacy questions (who, where, how long,
# withdrawal): informed consent depends on them (issue 20).
PRIVACY_EXPLAINED_AT = frozenset({"consent_to_share"})


def explains_privacy(intent: str | None, requested: str | None) -> bool:
    return intent == "ask_why" and (slot_of(requested) or requested) in PRIVACY_EXPLAINED_AT


def explanation(intent: str | None, requested: str | None,
                has_response: Callable[[str], bool]) -> str:
    """Why a question is asked ("ask_why") or help with it; at a read-back, about the
    question it confirms; general help when there is no such text."""
    kind = "why" if intent == "ask_why" else "help"
    slot = slot_of(requested) or requested
    name = f"utter_{kind}_{slot}"
    return name if slot and has_response(name) else "utter_help_general"
