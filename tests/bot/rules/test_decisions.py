"""A table of cases: every rule alone and in combination, with the exact decision."""

from __future__ import annotations

from typing import Any

import pytest

from bot.rules import Decision, decide
from tests.bot.rules.support import CONTRACT_DECISION_KEYS, FAILS, ON, answers, decision

RESETTLE = ["regular_resettlement_unhcr", "private_sponsorship"]
INELIGIBLE = {"eligibility": "ineligible", "pathway": "none"}
REVIEW = {"eligibility": "needs_review"}
URGENT = {"urgent": True, "priority": "urgent", "priority_factors": ["immediate_threat"]}
UPP = {**URGENT, "pathway": "urgent_protection"}

# (case id, answer changes, decision changes, in_country)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool]] = [
    ("all rules hold", {}, {}, False),
    # Each eligibility rule alone.
    ("E1 in country of origin", FAILS["E1"],
     {**INELIGIBLE, "reasons": ["E1"], "alternatives": ["temporary_protection"]}, True),
    ("E2 did not flee persecution", FAILS["E2"],
     {**INELIGIBLE, "reasons": ["E2"], "alternatives": RESETTLE}, False),
    ("E3 not a defender", FAILS["E3"],
     {**INELIGIBLE, "reasons": ["E3"], "alternatives": RESETTLE}, False),
    ("E4 safe where they are", FAILS["E4"], {**INELIGIBLE, "reasons": ["E4"]}, False),
    ("E5 does not want Canada", FAILS["E5"], {**INELIGIBLE, "reasons": ["E5"]}, False),
    ("E6 no refugee status", {"refugee_status": "none"}, {**REVIEW, "reasons": ["E6"]}, False),
    ("E6 status unknown", {"refugee_status": "unknown"}, {**REVIEW, "reasons": ["E6"]}, False),
    ("E6 asylum seeker holds", {"refugee_status": "asylum_seeker"}, {}, False),
    ("E7 unrelated charges", {"criminal_charges": "unrelated"},
     {**REVIEW, "reasons": ["E7"]}, False),
    ("E7 unknown charges", {"criminal_charges": "unknown"}, {**REVIEW, "reasons": ["E7"]}, False),
    ("E7 charges for HR work: flagged, still eligible", {"criminal_charges": "related_to_hr_work"},
     {"reasons": ["E7"]}, False),
    ("E8 no consent", FAILS["E8"], {**INELIGIBLE, "reasons": ["E8"]}, False),
    ("every HRD activity but none qualifies", {"hrd_activity": "other"}, {}, False),
    # Urgency alone and with other outcomes.
    ("U1 immediate threat", {"immediate_threat": True}, UPP, False),
    ("U1 with needs review", {"immediate_threat": True, "refugee_status": "unknown"},
     {**REVIEW, **UPP, "reasons": ["E6"]}, False),
    ("U1 with flag", {"immediate_threat": True, "criminal_charges": "related_to_hr_work"},
     {**UPP, "reasons": ["E7"]}, False),
    ("U1 but ineligible: urgent, no pathway", {"immediate_threat": True, **FAILS["E1"]},
     {**URGENT, **INELIGIBLE, "reasons": ["E1"], "alternatives": ["temporary_protection"]}, True),
    # Combinations: every failing rule is reported, in rule order.
    ("E2 and E3: alternatives once", {**FAILS["E2"], **FAILS["E3"]},
     {**INELIGIBLE, "reasons": ["E2", "E3"], "alternatives": RESETTLE}, False),
    ("E1 and E3", {**FAILS["E3"], **FAILS["E1"]},
     {**INELIGIBLE, "reasons": ["E1", "E3"],
      "alternatives": ["temporary_protection", *RESETTLE]}, True),
    ("E4 and E5", {**FAILS["E4"], **FAILS["E5"]},
     {**INELIGIBLE, "reasons": ["E4", "E5"]}, False),
    ("E6 and E7 review", {"refugee_status": "none", "criminal_charges": "unknown"},
     {**REVIEW, "reasons": ["E6", "E7"]}, False),
    ("E6 review and E7 flag", {"refugee_status": "none", "criminal_charges": "related_to_hr_work"},
     {**REVIEW, "reasons": ["E6", "E7"]}, False),
    ("ineligible wins over review, both reported", {**FAILS["E4"], **FAILS["E6"]},
     {**INELIGIBLE, "reasons": ["E4", "E6"]}, False),
    ("E5 and E8", {**FAILS["E5"], **FAILS["E8"]},
     {**INELIGIBLE, "reasons": ["E5", "E8"]}, False),
    ("everything fails", {k: v for fail in FAILS.values() for k, v in fail.items()}
     | {"immediate_threat": True},
     {**URGENT, **INELIGIBLE, "reasons": ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8"],
      "alternatives": ["temporary_protection", *RESETTLE]}, True),
    # Priority and case size.
    ("woman: high", {"risk_factors": ["woman"]},
     {"priority": "high", "priority_factors": ["woman"]}, False),
    ("medical needs: high", {"medical_needs": True},
     {"priority": "high", "priority_factors": ["medical_needs"]}, False),
    ("all factors, listed in contract order",
     {"risk_factors": ["indigenous", "woman", "lgbtq2"], "medical_needs": True},
     {"priority": "high", "priority_factors": ["woman", "lgbtq2", "indigenous", "medical_needs"]},
     False),
    ("urgent overrides risk factors", {"immediate_threat": True, "risk_factors": ["lgbtq2"]},
     UPP, False),
    ("priority kept for an ineligible case", {**FAILS["E3"], "risk_factors": ["indigenous"]},
     {**INELIGIBLE, "reasons": ["E3"], "alternatives": RESETTLE, "priority": "high",
      "priority_factors": ["indigenous"]}, False),
    ("family of four: case of five", {"family_members": 4}, {"case_size": 5}, False),
    ("largest family", {"family_members": 20}, {"case_size": 21}, False),
]


@pytest.mark.parametrize(
    ("changes", "expected", "in_country"),
    [pytest.param(c, e, i, id=name) for name, c, e, i in CASES],
)
def test_decision_table(changes: dict[str, Any], expected: dict[str, Any], in_country: bool):
    result = decide(answers(**changes), on=ON, spaces_used=0)
    assert result.to_dict() == decision(**expected)
    assert result.in_country is in_country


def test_to_dict_has_exactly_the_contract_keys_and_lists():
    result = decide(answers(**FAILS["E1"]), on=ON, spaces_used=0)
    as_dict = result.to_dict()
    assert set(as_dict) == CONTRACT_DECISION_KEYS
    assert "in_country" not in as_dict
    for key in ("priority_factors", "reasons", "alternatives"):
        assert type(as_dict[key]) is list


def test_decision_is_immutable_and_tuples():
    result = decide(answers(), on=ON, spaces_used=0)
    assert isinstance(result, Decision)
    assert isinstance(result.reasons, tuple)
    with pytest.raises(AttributeError):
        result.eligibility = "ineligible"  # type: ignore[misc]


def test_keys_the_rules_do_not_read_are_ignored():
    extra = answers(persecution_agent="something new", summary_confirmed=False, note="x")
    del extra["partner_case_reference"]
    assert decide(extra, on=ON, spaces_used=0).to_dict() == decision()
