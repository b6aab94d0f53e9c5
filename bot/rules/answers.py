"""The intake answers the rules read, checked against intake-contract.md ("The
questionnaire"). A value outside the contract is a caller bug: fail loudly, naming the slot."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HRD_ACTIVITIES = frozenset({
    "journalism_media", "environmental_land_rights", "women_rights", "lgbtq2_rights",
    "indigenous_rights", "labour_rights", "legal_defence", "humanitarian_work",
    "anti_corruption", "democracy_political", "minority_religious_rights", "other", "none",
})
REFUGEE_STATUSES = frozenset({"recognized", "asylum_seeker", "none", "unknown"})
CRIMINAL_CHARGES = frozenset({"none", "related_to_hr_work", "unrelated", "unknown"})
RISK_FACTORS = ("woman", "lgbtq2", "indigenous")  # contract order, reused for reporting
MAX_FAMILY_MEMBERS = 20
# Stored codes are upper case; "ug" vs "UG" would otherwise fake a country change.
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Answers:
    """Only the slots a rule reads; the rest of the intake is not the engine's business."""

    consent_to_share: bool
    country_of_origin: str
    current_country: str
    hrd_activity: str
    fled_persecution: bool
    refugee_status: str
    safe_in_current_country: bool
    immediate_threat: bool
    family_members: int
    risk_factors: frozenset[str]
    medical_needs: bool
    criminal_charges: str
    wants_resettlement_canada: bool


def _required(answers: Mapping[str, Any], slot: str) -> Any:
    if slot not in answers or answers[slot] is None:
        raise ValueError(f"answers: missing required slot '{slot}'")
    return answers[slot]


def _boolean(answers: Mapping[str, Any], slot: str) -> bool:
    value = _required(answers, slot)
    if not isinstance(value, bool):  # 1, "yes": a slot mapper bug, not a truth value
        raise ValueError(f"answers: slot '{slot}' must be a boolean, got {value!r}")
    return value


def _one_of(answers: Mapping[str, Any], slot: str, allowed: frozenset[str]) -> str:
    value = _required(answers, slot)
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"answers: slot '{slot}' has {value!r}, expected one of {', '.join(sorted(allowed))}"
        )
    return value


def _country(answers: Mapping[str, Any], slot: str) -> str:
    value = _required(answers, slot)
    if not isinstance(value, str) or not _COUNTRY_CODE.fullmatch(value):
        raise ValueError(
            f"answers: slot '{slot}' must be an ISO 3166-1 alpha-2 code, got {value!r}"
        )
    return value


def _family_members(answers: Mapping[str, Any]) -> int:
    value = _required(answers, "family_members")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"answers: slot 'family_members' must be an integer, got {value!r}")
    if not 0 <= value <= MAX_FAMILY_MEMBERS:
        raise ValueError(
            f"answers: slot 'family_members' must be 0-{MAX_FAMILY_MEMBERS}, got {value}"
        )
    return value


def _risk_factors(answers: Mapping[str, Any]) -> frozenset[str]:
    value = _required(answers, "risk_factors")
    if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
        raise ValueError(f"answers: slot 'risk_factors' must be a list, got {value!r}")
    unknown = [item for item in value if item not in RISK_FACTORS]
    if unknown:
        raise ValueError(
            f"answers: slot 'risk_factors' has {unknown!r}, expected any of "
            f"{', '.join(RISK_FACTORS)}"
        )
    return frozenset(value)


def parse_answers(answers: Mapping[str, Any]) -> Answers:
    """Check and type the slots the rules read; extra keys are ignored."""
    if not isinstance(answers, Mapping):
        raise ValueError(f"answers must be a mapping of slot to value, got {type(answers)}")
    return Answers(
        consent_to_share=_boolean(answers, "consent_to_share"),
        country_of_origin=_country(answers, "country_of_origin"),
        current_country=_country(answers, "current_country"),
        hrd_activity=_one_of(answers, "hrd_activity", HRD_ACTIVITIES),
        fled_persecution=_boolean(answers, "fled_persecution"),
        refugee_status=_one_of(answers, "refugee_status", REFUGEE_STATUSES),
        safe_in_current_country=_boolean(answers, "safe_in_current_country"),
        immediate_threat=_boolean(answers, "immediate_threat"),
        family_members=_family_members(answers),
        risk_factors=_risk_factors(answers),
        medical_needs=_boolean(answers, "medical_needs"),
        criminal_charges=_one_of(answers, "criminal_charges", CRIMINAL_CHARGES),
        wants_resettlement_canada=_boolean(answers, "wants_resettlement_canada"),
    )
