"""The referral draft as the conversation holds it: which answers exist, and what to clear."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from bot.intake.parsed import Parsed
from bot.intake.questions import ACTIVITY_DESCRIPTION, FORM_SLOTS, READBACK_SLOTS, STATELESS

# Slots that belong to one draft and are cleared when it is submitted, refused or cancelled.
DRAFT_SLOTS: tuple[str, ...] = (
    *FORM_SLOTS,
    *READBACK_SLOTS,
    "cancel_confirmed",
    "intake_id",
    "misunderstood",
    "readback",
    ACTIVITY_DESCRIPTION,
    STATELESS,
)


def answers_from_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The questionnaire answers given so far (summary_confirmed is not an answer)."""
    return {
        slot: slots[slot]
        for slot in FORM_SLOTS
        if slot != "summary_confirmed" and slots.get(slot) is not None
    }


def has_draft(slots: Mapping[str, Any]) -> bool:
    """A draft exists once a referral was started and not yet submitted or discarded."""
    return bool(slots.get("intake_id")) or bool(answers_from_slots(slots))


def new_intake_id() -> str:
    return uuid.uuid4().hex


def cleared_draft() -> dict[str, None]:
    return dict.fromkeys(DRAFT_SLOTS)


def answer_updates(
    slot: str, parsed: Parsed, existing: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The slots an understood answer sets: its own, any other question answered in the
    same words ("she's Ugandan, now in Nairobi") that has no answer yet (an earlier answer
    changes only by a correction), and the misunderstanding count reset."""
    existing = existing or {}
    also = {
        name: value
        for name, value in parsed.also.items()
        if name in FORM_SLOTS and existing.get(name) is None
    }
    return {slot: parsed.value, **also, "misunderstood": 0}


# The caseworker's own words for the activity are kept up to this length.
DESCRIPTION_LIMIT = 2000


def described(slot: str, text: str) -> dict[str, Any]:
    """The activity answer keeps the caseworker's own words beside the category read."""
    if slot != "hrd_activity":
        return {}
    return {ACTIVITY_DESCRIPTION: text.strip()[:DESCRIPTION_LIMIT]}


def submitted_answers(slots: Mapping[str, Any]) -> dict[str, Any]:
    """What is saved with the case: the answers, and for the officer (encrypted with the
    rest, not contract answers) the activity in the caseworker's own words and whether the
    defender is stateless."""
    answers = answers_from_slots(slots)
    description = slots.get(ACTIVITY_DESCRIPTION)
    if description:
        answers[ACTIVITY_DESCRIPTION] = str(description)[:DESCRIPTION_LIMIT]
    if slots.get(STATELESS) is True:
        answers[STATELESS] = True
    return answers
