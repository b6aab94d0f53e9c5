"""Answer routing: what one message does to the referral form, decided without Rasa.

Each function takes the conversation's slots (a plain mapping) and the message's text and
returns a `Route`: the slot updates, the responses to say (by name) and, for a correction,
the change to report. The actions (actions/) only read the tracker, call these and turn the
route into events and messages, so every decision here is testable as plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.intake.corrections import apply_correction, is_correction, parse_correction
from bot.intake.draft import answer_updates, answers_from_slots, described
from bot.intake.normalize import parse_answer, parse_yes_no
from bot.intake.questions import (
    BOOLEAN_SLOTS,
    CHOICES,
    COUNTRY_SLOTS,
    FORM_SLOTS,
    READBACK_SLOTS,
    STATELESS,
    TEXT_SLOTS,
)
from bot.intake.readback import ACCEPT, REJECT, pending, readback_slot, resolve, slot_of
from bot.intake.repair import STATELESS_QUESTION, skip_decision, skip_kind, stateless_rest

Slots = Mapping[str, Any]
# Whether the domain has a response of that name (problem-specific texts are optional).
HasResponse = Callable[[str], bool]

SUMMARY = "summary_confirmed"


@dataclass(frozen=True)
class Route:
    """What to do with one message."""

    updates: dict[str, Any] = field(default_factory=dict)  # slot -> value, in order
    responses: tuple[str, ...] = ()  # response names, said in this order
    # A correction's slot updates, reported ("Changed: ...") before any response.
    changes: Mapping[str, Any] | None = None
    # The slot whose options are offered, numbered, after the responses.
    numbered: str | None = None


def misunderstood_again(slots: Slots) -> int:
    """The misunderstanding count once this message is counted as one more."""
    return int(slots.get("misunderstood") or 0) + 1


def correction_updates(text: str, slots: Slots, requested: str) -> dict[str, Any] | None:
    """The slot updates a correction of an earlier answer asks for, or None when the
    message is not a correction of another question."""
    answers = answers_from_slots(slots)
    if not answers or not is_correction(text, answers, requested):
        return None
    correction = parse_correction(text, answers, requested)
    if correction is None or correction.slot == requested or correction.slot not in answers:
        return None
    if correction.value is None:
        # Named but unreadable: ask that question again, after the pending one.
        return None
    return apply_correction(answers, correction)


def _corrected(text: str, slots: Slots, slot: str, asked: str | None = None) -> Route | None:
    """Correction words first ("wait, I said four before, it is five"): the change, said
    exactly, and the question asked (`asked`, else `slot`) asked again. Without them the
    message answers the question asked, whatever earlier topic it mentions."""
    correction = correction_updates(text, slots, slot)
    if correction is None:
        return None
    return Route(updates={**correction, asked or slot: None}, changes=correction)


def not_understood(slot: str, problem: str | None, slots: Slots, has_response: HasResponse
                   ) -> Route:
    """Asked again in other words once; from the second time, the options, numbered (or
    the question's help, for a free answer)."""
    misunderstood = misunderstood_again(slots)
    specific = f"utter_{problem}_{slot}"
    responses = [specific if has_response(specific) else f"utter_invalid_{slot}"]
    numbered = None
    if misunderstood >= 2:
        if slot in CHOICES or slot in BOOLEAN_SLOTS:
            numbered = slot
        else:
            responses.append(f"utter_help_{slot}")
    return Route({slot: None, "misunderstood": misunderstood}, tuple(responses),
                 numbered=numbered)


def route_answer(slot: str, text: str, slots: Slots, has_response: HasResponse) -> Route:
    """The reply to a form question: a correction, a reading to confirm, an answer, or
    not understood. A skip or "I don't know" is never read as an answer's words."""
    kind = skip_kind(text)
    if kind is not None:
        skipped = skip_decision(slot, kind, has_response)
        return Route(skipped.updates, skipped.responses)
    corrected = _corrected(text, slots, slot)
    if corrected is not None:
        return corrected
    if slot == STATELESS_QUESTION:
        rest = stateless_rest(text)
        if rest is not None:
            return _stateless(rest, slots)
    parsed = parse_answer(slot, text)
    if parsed.needs_readback:
        # Read back before storing: the form asks confirm_<slot> next.
        return Route({slot: None, "readback": pending(slot, parsed), **described(slot, text)})
    if parsed.ok:
        return Route({**answer_updates(slot, parsed, slots), **described(slot, text)})
    return not_understood(slot, parsed.problem, slots, has_response)


def _stateless(rest: str, slots: Slots) -> Route:
    """A stateless defender: recorded as such, and the question becomes the country of
    former habitual residence, unless the same message names it ("Bidoon, lived in
    Kuwait"). The stateless words themselves never name a country."""
    slot = STATELESS_QUESTION
    parsed = parse_answer(slot, rest) if rest else None
    if parsed is not None and parsed.needs_readback:
        return Route({slot: None, STATELESS: True, "readback": pending(slot, parsed)},
                     ("utter_stateless_noted",))
    if parsed is not None and parsed.ok:
        return Route({STATELESS: True, **answer_updates(slot, parsed, slots)},
                     ("utter_stateless_noted",))
    return Route({slot: None, STATELESS: True, "misunderstood": 0},
                 ("utter_stateless_noted",))


def route_summary_reply(text: str, slots: Slots) -> Route:
    """The reply to the summary. "actually she is in Uganda, not Kenya": a correction is
    looked for first, since it may well contain a "no" or a "not"."""
    corrected = _corrected(text, slots, SUMMARY)
    if corrected is not None:
        return corrected
    answer = parse_yes_no(text, SUMMARY)
    if answer.ok and answer.value is True and answer.sure:
        return Route({SUMMARY: True, "misunderstood": 0})
    if answer.ok and answer.value is False:
        return Route({SUMMARY: None}, ("utter_what_to_change",))
    return Route({SUMMARY: None}, ("utter_invalid_summary_confirmed",))


def route_readback_reply(name: str, text: str, slots: Slots, has_response: HasResponse
                         ) -> Route:
    """The reply to "I understood: ... Is that right?" (or to a pick), read-back `name`."""
    slot = slot_of(name) or ""
    corrected = _corrected(text, slots, slot, asked=name)
    if corrected is not None:
        return corrected
    verdict, answer = resolve(slots.get("readback") or {}, text)
    if verdict == ACCEPT:
        return Route({slot: answer, "readback": None, name: None, "misunderstood": 0})
    misunderstood = misunderstood_again(slots)
    if verdict == REJECT:
        return Route({slot: None, "readback": None, name: None, "misunderstood": misunderstood},
                     ("utter_readback_rejected",))
    if misunderstood >= 2:
        # No dead loop: the question itself again, with its options numbered.
        again = not_understood(slot, None, slots, has_response)
        return replace(again, updates={**again.updates, "readback": None, name: None})
    return Route({name: None, "misunderstood": misunderstood}, ("utter_readback_unclear",))


def disguised_answer(slots: Slots, requested: str | None, in_form: bool, text: str,
                     places: bool = True) -> dict[str, Any] | None:
    """A short answer that NLU took for small talk ("Kampala" read as a greeting) is still
    the answer to the question asked, when it parses as one: its slot updates, else None.
    Free-text questions are left out: any text parses there, so small talk would be taken
    as an answer. `places=False` leaves out the country questions too."""
    if not in_form or requested in TEXT_SLOTS:
        return None
    if requested not in FORM_SLOTS or requested == SUMMARY:
        return None
    if not places and requested in COUNTRY_SLOTS:
        return None
    parsed = parse_answer(requested, text)
    if not parsed.ok:
        return None
    if parsed.needs_readback:  # the form reads it back before storing it
        return {"readback": pending(requested, parsed)}
    return answer_updates(requested, parsed, slots)


def route_correction(text: str, slots: Slots, requested: str | None, in_form: bool) -> Route:
    """A message NLU read as a correction, once a draft exists. Without correction words,
    inside the form, it is rather an answer to the question asked."""
    answers = answers_from_slots(slots)
    # At a read-back, a correction is most likely about the answer being read back.
    asked = slot_of(requested) or requested
    if in_form and not is_correction(text, answers, asked or ""):
        updates = disguised_answer(slots, requested, in_form, text)
        if updates:
            return Route(updates)
    correction = parse_correction(text, answers, asked)
    if correction is None:
        return Route(responses=("utter_correction_not_understood",))
    if correction.value is None:
        return Route({correction.slot: None, SUMMARY: None}, ("utter_correction_ask_again",))
    if asked is not None and correction.slot == asked and answers.get(asked) is None:
        # The answer to the pending question (or to its read-back), not a change.
        updates: dict[str, Any] = {asked: correction.value, "readback": None,
                                   "misunderstood": 0}
        if readback_slot(asked) in READBACK_SLOTS:
            updates[readback_slot(asked)] = None
        return Route(updates)
    changes = apply_correction(answers, correction)
    return Route(dict(changes), changes=changes)
