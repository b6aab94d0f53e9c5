import pytest

from bot.intake.questions import BOOLEAN_SLOTS, CHOICES, FORM_SLOTS, required_slots

CONTRACT_ORDER = (
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


def test_form_slots_follow_the_contract_order():
    assert FORM_SLOTS == CONTRACT_ORDER


def test_boolean_slots():
    assert frozenset(
        {
            "consent_to_share",
            "fled_persecution",
            "safe_in_current_country",
            "immediate_threat",
            "medical_needs",
            "wants_resettlement_canada",
            "summary_confirmed",
        }
    ) == BOOLEAN_SLOTS
    assert BOOLEAN_SLOTS.issubset(FORM_SLOTS)


@pytest.mark.parametrize(
    ("slot", "values"),
    [
        (
            "hrd_activity",
            {
                "journalism_media", "environmental_land_rights", "women_rights",
                "lgbtq2_rights", "indigenous_rights", "labour_rights", "legal_defence",
                "humanitarian_work", "anti_corruption", "democracy_political",
                "minority_religious_rights", "other", "none",
            },
        ),
        ("persecution_agent", {"state", "non_state", "both"}),
        ("refugee_status", {"recognized", "asylum_seeker", "none", "unknown"}),
        ("criminal_charges", {"none", "related_to_hr_work", "unrelated", "unknown"}),
        ("risk_factors", {"woman", "lgbtq2", "indigenous"}),
    ],
)
def test_choices_are_the_contract_values(slot, values):
    assert set(CHOICES[slot]) == values
    assert len(CHOICES[slot]) == len(values)


def test_risk_factor_order_is_canonical():
    assert CHOICES["risk_factors"] == ("woman", "lgbtq2", "indigenous")


@pytest.mark.parametrize(
    ("answers", "asks_description"),
    [
        ({}, False),
        ({"immediate_threat": True}, True),
        ({"immediate_threat": False}, False),
        ({"immediate_threat": None}, False),
        ({"immediate_threat": "yes"}, False),  # only a real True counts
    ],
)
def test_required_slots(answers, asks_description):
    slots = required_slots(answers)
    assert ("threat_description" in slots) is asks_description
    assert [s for s in FORM_SLOTS if s != "threat_description"] == [
        s for s in slots if s != "threat_description"
    ]
    if asks_description:
        assert slots == list(FORM_SLOTS)
