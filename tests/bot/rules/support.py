"""Shared builders: a valid answers mapping and the decision it gets, changed per test."""

from __future__ import annotations

import datetime as dt
from typing import Any

# A date under the current version (2023-doubled, cap 500).
ON = dt.date(2024, 5, 1)

# Every rule holds, no risk factor: eligible, standard priority, one person.
BASE_ANSWERS: dict[str, Any] = {
    "partner_case_reference": "X1",
    "consent_to_share": True,
    "country_of_origin": "UG",
    "current_country": "KE",
    "hrd_activity": "journalism_media",
    "persecution_agent": "state",
    "fled_persecution": True,
    "refugee_status": "recognized",
    "safe_in_current_country": False,
    "immediate_threat": False,
    "family_members": 0,
    "risk_factors": [],
    "medical_needs": False,
    "criminal_charges": "none",
    "wants_resettlement_canada": True,
    "summary_confirmed": True,
}

BASE_DECISION: dict[str, Any] = {
    "eligibility": "eligible",
    "urgent": False,
    "pathway": "hrd_stream",
    "priority": "standard",
    "priority_factors": [],
    "case_size": 1,
    "capacity": "within_cap",
    "reasons": [],
    "alternatives": [],
    "policy_version": "2023-doubled",
}

CONTRACT_DECISION_KEYS = frozenset(BASE_DECISION)


def answers(**changes: Any) -> dict[str, Any]:
    result = {**BASE_ANSWERS, **changes}
    if result["immediate_threat"]:
        result.setdefault("threat_description", "named in a police list of targets")
    return result


def decision(**changes: Any) -> dict[str, Any]:
    return {**BASE_DECISION, **changes}


# The failing value of each eligibility rule, alone.
FAILS: dict[str, dict[str, Any]] = {
    "E1": {"current_country": "UG"},
    "E2": {"fled_persecution": False},
    "E3": {"hrd_activity": "none"},
    "E4": {"safe_in_current_country": True},
    "E5": {"wants_resettlement_canada": False},
    "E6": {"refugee_status": "none"},
    "E7": {"criminal_charges": "unrelated"},
    "E8": {"consent_to_share": False},
}
