"""Input validation: a value outside the contract is a clear ValueError naming the slot."""

from __future__ import annotations

from typing import Any

import pytest

from bot.rules import decide
from tests.bot.rules.support import ON, answers

READ_SLOTS = [
    "consent_to_share", "country_of_origin", "current_country", "hrd_activity",
    "fled_persecution", "refugee_status", "safe_in_current_country", "immediate_threat",
    "family_members", "risk_factors", "medical_needs", "criminal_charges",
    "wants_resettlement_canada",
]


@pytest.mark.parametrize("slot", READ_SLOTS)
def test_missing_slot_is_named(slot: str):
    incomplete = answers()
    del incomplete[slot]
    with pytest.raises(ValueError, match=f"'{slot}'"):
        decide(incomplete, on=ON, spaces_used=0)


@pytest.mark.parametrize("slot", READ_SLOTS)
def test_none_counts_as_missing(slot: str):
    with pytest.raises(ValueError, match=f"'{slot}'"):
        decide(answers(**{slot: None}), on=ON, spaces_used=0)


@pytest.mark.parametrize(
    ("slot", "value"),
    [
        ("consent_to_share", "yes"),
        ("consent_to_share", 1),
        ("fled_persecution", "true"),
        ("immediate_threat", 0),
        ("country_of_origin", "Uganda"),
        ("country_of_origin", "ug"),  # lower case would fake a country change
        ("current_country", "KEN"),
        ("current_country", 44),
        ("hrd_activity", "painting"),
        ("hrd_activity", ["journalism_media"]),
        ("refugee_status", "refugee"),
        ("criminal_charges", "minor"),
        ("family_members", -1),
        ("family_members", 21),
        ("family_members", "2"),
        ("family_members", 2.0),
        ("family_members", True),
        ("risk_factors", "woman"),
        ("risk_factors", ["man"]),
        ("risk_factors", {"woman": True}),
        ("medical_needs", "no"),
        ("wants_resettlement_canada", None),
    ],
)
def test_value_outside_contract_is_named(slot: str, value: Any):
    with pytest.raises(ValueError, match=f"'{slot}'"):
        decide(answers(**{slot: value}), on=ON, spaces_used=0)


@pytest.mark.parametrize("spaces_used", [-1, -500, True, 1.5, "3"])
def test_bad_spaces_used(spaces_used: Any):
    with pytest.raises(ValueError, match="spaces_used"):
        decide(answers(), on=ON, spaces_used=spaces_used)


def test_answers_must_be_a_mapping():
    with pytest.raises(ValueError, match="mapping"):
        decide([("consent_to_share", True)], on=ON, spaces_used=0)  # type: ignore[arg-type]


def test_risk_factors_may_be_any_iterable_of_contract_values():
    result = decide(answers(risk_factors=("lgbtq2",)), on=ON, spaces_used=0)
    assert result.priority_factors == ("lgbtq2",)
