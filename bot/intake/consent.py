"""The consent gate: nothing sensitive is asked, and nothing is stored, without consent.

Consent is the second question. A "no" ends the form there (only the partner's case
reference and the refusal were asked); only an explicit "yes" lets a referral be submitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.intake.questions import required_slots
from bot.intake.readback import with_readback

CONSENT_SLOT = "consent_to_share"
# The questions asked up to and including consent: all the form asks when consent is refused.
CONSENT_GATE: tuple[str, ...] = ("partner_case_reference", CONSENT_SLOT)


def consent_refused(slots: Mapping[str, Any]) -> bool:
    """An explicit no (unanswered is not a refusal: the question is still to come)."""
    return slots.get(CONSENT_SLOT) is False


def consent_given(slots: Mapping[str, Any]) -> bool:
    """Only an explicit yes; the store refuses an intake without it as well."""
    return slots.get(CONSENT_SLOT) is True


def form_questions(slots: Mapping[str, Any]) -> list[str]:
    """The form's questions for these slots: the gate alone once consent is refused, else
    every required question with a pending read-back asked just before its question."""
    if consent_refused(slots):
        return list(CONSENT_GATE)
    return with_readback(required_slots(slots), slots.get("readback"))
