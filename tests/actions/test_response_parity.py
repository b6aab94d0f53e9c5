"""Every response exists in both official languages, with the same placeholders and buttons.

English is the plain (default) variant, first; French is conditioned on the `language` slot.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from actions.summary import summary_values
from tests.actions.support import DOMAIN

RESPONSES: dict[str, list[dict[str, Any]]] = DOMAIN["responses"]
FRENCH = [{"type": "slot", "name": "language", "value": "fr"}]


def _english(variants: list[dict[str, Any]]) -> dict[str, Any] | None:
    plain = [v for v in variants if not v.get("condition")]
    return plain[0] if plain else None


def _french(variants: list[dict[str, Any]]) -> dict[str, Any] | None:
    for variant in variants:
        if variant.get("condition") == FRENCH:
            return variant
    return None


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def _payloads(variant: dict[str, Any]) -> list[str]:
    return [str(b["payload"]) for b in variant.get("buttons") or []]


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_both_languages_with_same_placeholders_and_buttons(name: str) -> None:
    variants = RESPONSES[name]
    english, french = _english(variants), _french(variants)
    assert english is not None, f"{name}: no English (unconditioned) variant"
    assert french is not None, f"{name}: no French variant (condition language == fr)"
    assert variants[0] is english, f"{name}: the English variant must come first"
    assert english.get("text") and french.get("text"), name
    assert _placeholders(english["text"]) == _placeholders(french["text"]), name
    assert _payloads(english) == _payloads(french), name
    titles = [b["title"] for b in french.get("buttons") or []]
    assert all(titles), name


def test_no_other_variants() -> None:
    # A third variant (or a second plain one) would make Rasa's choice random.
    assert all(len(variants) == 2 for variants in RESPONSES.values())


def test_french_summary_reads_in_french() -> None:
    slots = {
        "consent_to_share": True, "country_of_origin": "CD", "current_country": "UG",
        "hrd_activity": "legal_defence", "persecution_agent": "non_state",
        "refugee_status": "asylum_seeker", "risk_factors": [], "medical_needs": False,
        "criminal_charges": "related_to_hr_work",
    }
    values = summary_values(slots, DOMAIN, "fr")
    assert values["consent_to_share"] == "oui" and values["medical_needs"] == "non"
    assert values["country_of_origin"] == "République démocratique du Congo"
    assert values["current_country"] == "Ouganda"
    assert values["hrd_activity"] == "Défense juridique"
    assert values["persecution_agent"] == "Acteurs non étatiques"
    assert values["refugee_status"] == "Demandeur d'asile"
    assert values["risk_factors"] == "aucun"
    assert values["criminal_charges"].startswith("Liées à son travail")
