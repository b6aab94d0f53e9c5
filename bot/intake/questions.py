"""The questionnaire's slots, in the order asked, and their fixed values (the contract in
/work/shared/spec/intake-contract.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FORM_SLOTS: tuple[str, ...] = (
    "partner_case_reference",
    "consent_to_share",
    "country_of_origin",
    "current_country",
    "hrd_activity",
    "persecution_agent",
    "fled_persecution",
    "refugee_status",
    "safe_in_current_country",
    "immediate_threat",
    "threat_description",
    "family_members",
    "risk_factors",
    "medical_needs",
    "criminal_charges",
    "wants_resettlement_canada",
    "summary_confirmed",
)

BOOLEAN_SLOTS: frozenset[str] = frozenset(
    {
        "consent_to_share",
        "fled_persecution",
        "safe_in_current_country",
        "immediate_threat",
        "medical_needs",
        "wants_resettlement_canada",
        "summary_confirmed",
    }
)

# Stored values in the order offered (buttons / numbered options). Booleans are offered
# as (True, False): 1 = yes, 2 = no.
CHOICES: dict[str, tuple[str, ...]] = {
    "hrd_activity": (
        "journalism_media",
        "environmental_land_rights",
        "women_rights",
        "lgbtq2_rights",
        "indigenous_rights",
        "labour_rights",
        "legal_defence",
        "humanitarian_work",
        "anti_corruption",
        "democracy_political",
        "minority_religious_rights",
        "other",
        "none",
    ),
    "persecution_agent": ("state", "non_state", "both"),
    "refugee_status": ("recognized", "asylum_seeker", "none", "unknown"),
    "criminal_charges": ("none", "related_to_hr_work", "unrelated", "unknown"),
    "risk_factors": ("woman", "lgbtq2", "indigenous"),
}

COUNT_SLOTS: frozenset[str] = frozenset({"family_members"})
COUNTRY_SLOTS: frozenset[str] = frozenset({"country_of_origin", "current_country"})
TEXT_SLOTS: frozenset[str] = frozenset({"partner_case_reference", "threat_description"})


# Kept with the case for the officer, encrypted with the answers, but not a contract slot
# (the case API's "answers" leave it out): the caseworker's own words for the activity.
ACTIVITY_DESCRIPTION = "hrd_activity_description"
# Likewise: the defender is stateless, so country_of_origin holds the country of former
# habitual residence (issue 20). Saved only when true.
STATELESS = "stateless"

# A read-back is its own question, confirm_<slot> (intake-contract.md), for every question
# whose answer is read rather than stored as typed.
READBACK_PREFIX = "confirm_"
READBACK_SLOTS: tuple[str, ...] = tuple(
    READBACK_PREFIX + slot
    for slot in FORM_SLOTS
    if slot not in TEXT_SLOTS and slot != "summary_confirmed"
)


def required_slots(answers: Mapping[str, Any]) -> list[str]:
    """FORM_SLOTS, without threat_description unless answers['immediate_threat'] is True."""
    return [
        slot
        for slot in FORM_SLOTS
        if slot != "threat_description" or answers.get("immediate_threat") is True
    ]
