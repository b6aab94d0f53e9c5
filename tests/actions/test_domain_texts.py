"""Every text an action may send exists in the domain (so none is written in Python)."""

from __future__ import annotations

import pytest

from bot.intake.questions import CHOICES, FORM_SLOTS, READBACK_SLOTS
from bot.rules import RULES
from bot.rules.engine import PRIVATE_SPONSORSHIP, REGULAR_RESETTLEMENT
from bot.rules.messages import outcome_key
from tests.actions.support import DOMAIN

RESPONSES = DOMAIN["responses"]


def test_every_question_has_its_texts() -> None:
    for slot in FORM_SLOTS:
        if slot != "summary_confirmed":
            assert f"utter_ask_{slot}" in RESPONSES, slot
        for kind in ("why", "help", "invalid"):
            assert f"utter_{kind}_{slot}" in RESPONSES, (kind, slot)


def test_fixed_choices_are_offered_as_buttons_with_stored_values() -> None:
    for slot, values in CHOICES.items():
        payloads = [b["payload"] for b in RESPONSES[f"utter_ask_{slot}"][0]["buttons"]]
        # Every stored value can be picked; "none" stands for the empty risk-factor list.
        assert set(values) <= set(payloads), slot


ELIGIBILITY_RULES = [r for r, rule in RULES.items() if rule.kind == "eligibility"]
PARTNER_NAMES = ("UNHCR", "HCR", "Front Line", "ProtectDefenders")


def texts(name: str) -> list[str]:
    return [variant["text"] for variant in RESPONSES[name]]


def test_every_reason_and_alternative_is_explained() -> None:
    for rule_id in ELIGIBILITY_RULES:
        assert f"utter_reason_{rule_id}" in RESPONSES, rule_id
    for code in (REGULAR_RESETTLEMENT, PRIVATE_SPONSORSHIP):
        assert f"utter_alternative_{code}" in RESPONSES, code
    assert "utter_in_country_recorded" in RESPONSES
    assert "utter_alternative_temporary_protection" not in RESPONSES


def test_reasons_cite_the_policy_source_not_their_own() -> None:
    """Deviation 5: the source is a template value from the policy data."""
    for name in [f"utter_reason_{r}" for r in ELIGIBILITY_RULES] + ["utter_reason_E7_flag"]:
        for text in texts(name):
            assert "{source}" in text, name
            assert "IRCC" not in text and "2021" not in text and "instructions" not in text


def test_refusals_name_partners_from_the_policy() -> None:
    """Deviation 4: no partner list written in the domain."""
    for name in ("utter_org_cannot_refer", "utter_org_identify_only"):
        for text in texts(name):
            assert "{partners}" in text, name
            assert not any(partner in text for partner in PARTNER_NAMES), text


OUTCOMES = [
    {"eligibility": eligibility, "urgent": urgent, "capacity": capacity}
    for eligibility in ("eligible", "needs_review", "ineligible")
    for urgent in (False, True) for capacity in ("within_cap", "over_cap")
]


@pytest.mark.parametrize("decision", OUTCOMES, ids=lambda d: "-".join(map(str, d.values())))
def test_one_consistent_message_per_outcome(decision: dict) -> None:
    """Deviation 3: urgent and over-cap in one message; a waitlisted case is never told
    it counts against (or takes) this year's spaces."""
    name = outcome_key(decision)
    assert len(texts(name)) == 2, name  # English and French
    english = texts(name)[0]
    if decision["capacity"] == "over_cap" and decision["eligibility"] != "ineligible":
        assert "waitlisted" in english and "counts against" not in english
        assert "takes {case_size}" not in english and "next year" not in english
        if decision["urgent"]:
            assert "Urgent Protection Program" in english and "as soon as" in english
            assert english.index("waitlisted") < english.index("Urgent Protection Program")
    else:
        assert "waitlist" not in english


def test_form_slots_are_declared_in_contract_order() -> None:
    # The read-backs (confirm_<slot>) follow: asked only while one is pending.
    assert DOMAIN["forms"]["referral_form"]["required_slots"] == [*FORM_SLOTS, *READBACK_SLOTS]
