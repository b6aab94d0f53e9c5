"""Every text an action may send exists in the domain (so none is written in Python)."""

from __future__ import annotations

from bot.intake.questions import CHOICES, FORM_SLOTS, READBACK_SLOTS
from bot.rules import RULES
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


def test_every_reason_and_alternative_is_explained() -> None:
    for rule_id in RULES:
        if rule_id.startswith("E") and rule_id != "E8":
            assert f"utter_reason_{rule_id}" in RESPONSES, rule_id
    alternatives = {code for rule in RULES.values() for code in rule.alternatives}
    assert alternatives
    for code in alternatives:
        assert f"utter_alternative_{code}" in RESPONSES, code


def test_form_slots_are_declared_in_contract_order() -> None:
    # The read-backs (confirm_<slot>) follow: asked only while one is pending.
    assert DOMAIN["forms"]["referral_form"]["required_slots"] == [*FORM_SLOTS, *READBACK_SLOTS]
