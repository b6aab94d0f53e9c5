"""The decision table: each rule, and each pair of rules that interact (E1 with E2/E3, E2
with refugee_status, E3 with E4/E5, U1 with over-cap), one row each: the input, then the
exact decision (outcome, reasons, alternatives) and the chat's message keys."""

from __future__ import annotations

from typing import Any

import pytest

from bot.rules import Decision, PreconditionFailed, decide, outcome_messages
from tests.bot.rules.support import CONTRACT_DECISION_KEYS, FAILS, ON, answers, decision

REG = "regular_resettlement_unhcr"
RESETTLE = [REG, "private_sponsorship"]
INELIGIBLE = {"eligibility": "ineligible", "pathway": "none"}
REVIEW = {"eligibility": "needs_review"}
URGENT = {"urgent": True, "priority": "urgent", "priority_factors": ["immediate_threat"]}
UPP = {**URGENT, "pathway": "urgent_protection"}
FULL = 500  # spaces used: the 2023-doubled cap is reached
OVER = {"capacity": "over_cap"}
NOT_REFUGEE = {"refugee_status": "none"}

# Message keys for the usual outcomes.
OK = ["utter_outcome_eligible"]
NO = "utter_outcome_ineligible"
HOME = "utter_in_country_recorded"


def reason(rule_id: str) -> str:
    return f"utter_reason_{rule_id}"


def alt(code: str) -> str:
    return f"utter_alternative_{code}"


# (row id, answer changes, spaces used, decision changes, in_country, message keys)
Row = tuple[str, dict[str, Any], int, dict[str, Any], bool, list[str]]
TABLE: list[Row] = [
    ("all rules hold", {}, 0, {}, False, OK),
    # Each eligibility rule alone.
    ("E1 in country of origin: no alternative, recorded in_country", FAILS["E1"], 0,
     {**INELIGIBLE, "reasons": ["E1"]}, True, [NO, reason("E1"), HOME]),
    ("E2 did not flee, a recognized refugee: regular resettlement", FAILS["E2"], 0,
     {**INELIGIBLE, "reasons": ["E2"], "alternatives": [REG]}, False,
     [NO, reason("E2"), alt(REG)]),
    ("E3 not a defender: regular program or sponsorship", FAILS["E3"], 0,
     {**INELIGIBLE, "reasons": ["E3"], "alternatives": RESETTLE}, False,
     [NO, reason("E3"), *map(alt, RESETTLE)]),
    ("E4 safe where they are: no alternative", FAILS["E4"], 0,
     {**INELIGIBLE, "reasons": ["E4"]}, False, [NO, reason("E4")]),
    ("E5 does not want Canada: no alternative", FAILS["E5"], 0,
     {**INELIGIBLE, "reasons": ["E5"]}, False, [NO, reason("E5")]),
    ("E6 no refugee status", NOT_REFUGEE, 0, {**REVIEW, "reasons": ["E6"]}, False,
     ["utter_outcome_needs_review", reason("E6")]),
    ("E6 status unknown", {"refugee_status": "unknown"}, 0, {**REVIEW, "reasons": ["E6"]},
     False, ["utter_outcome_needs_review", reason("E6")]),
    ("E6 asylum seeker holds", {"refugee_status": "asylum_seeker"}, 0, {}, False, OK),
    ("E7 unrelated charges", {"criminal_charges": "unrelated"}, 0,
     {**REVIEW, "reasons": ["E7"]}, False, ["utter_outcome_needs_review", reason("E7")]),
    ("E7 unknown charges", {"criminal_charges": "unknown"}, 0, {**REVIEW, "reasons": ["E7"]},
     False, ["utter_outcome_needs_review", reason("E7")]),
    ("E7 charges for HR work: flagged, still eligible", {"criminal_charges": "related_to_hr_work"},
     0, {"reasons": ["E7"]}, False, [*OK, "utter_reason_E7_flag"]),
    ("every HRD activity but none qualifies", {"hrd_activity": "other"}, 0, {}, False, OK),
    # E1 with E2 / E3: still at home, so no resettlement alternative.
    ("E1 with E2", {**FAILS["E1"], **FAILS["E2"]}, 0,
     {**INELIGIBLE, "reasons": ["E1", "E2"]}, True, [NO, reason("E1"), reason("E2"), HOME]),
    ("E1 with E3", {**FAILS["E1"], **FAILS["E3"]}, 0,
     {**INELIGIBLE, "reasons": ["E1", "E3"]}, True, [NO, reason("E1"), reason("E3"), HOME]),
    # E2 with refugee_status: the regular program only "if otherwise a refugee".
    ("E2 with refugee_status none", {**FAILS["E2"], **NOT_REFUGEE}, 0,
     {**INELIGIBLE, "reasons": ["E2", "E6"]}, False, [NO, reason("E2"), reason("E6")]),
    ("E2 with refugee_status unknown", {**FAILS["E2"], "refugee_status": "unknown"}, 0,
     {**INELIGIBLE, "reasons": ["E2", "E6"]}, False, [NO, reason("E2"), reason("E6")]),
    ("E2 with an asylum seeker", {**FAILS["E2"], "refugee_status": "asylum_seeker"}, 0,
     {**INELIGIBLE, "reasons": ["E2"], "alternatives": [REG]}, False,
     [NO, reason("E2"), alt(REG)]),
    ("E2 and E3: alternatives once", {**FAILS["E2"], **FAILS["E3"]}, 0,
     {**INELIGIBLE, "reasons": ["E2", "E3"], "alternatives": RESETTLE}, False,
     [NO, reason("E2"), reason("E3"), *map(alt, RESETTLE)]),
    ("E2 and E3, not a refugee: sponsorship and the regular program through E3",
     {**FAILS["E2"], **FAILS["E3"], **NOT_REFUGEE}, 0,
     {**INELIGIBLE, "reasons": ["E2", "E3", "E6"], "alternatives": RESETTLE}, False,
     [NO, reason("E2"), reason("E3"), reason("E6"), *map(alt, RESETTLE)]),
    # E3 with E4 / E5: a durable solution, or no wish for Canada, rules out every pathway.
    ("E3 with E4", {**FAILS["E3"], **FAILS["E4"]}, 0,
     {**INELIGIBLE, "reasons": ["E3", "E4"]}, False, [NO, reason("E3"), reason("E4")]),
    ("E3 with E5", {**FAILS["E3"], **FAILS["E5"]}, 0,
     {**INELIGIBLE, "reasons": ["E3", "E5"]}, False, [NO, reason("E3"), reason("E5")]),
    ("E4 and E5", {**FAILS["E4"], **FAILS["E5"]}, 0,
     {**INELIGIBLE, "reasons": ["E4", "E5"]}, False, [NO, reason("E4"), reason("E5")]),
    ("E6 and E7 review", {**NOT_REFUGEE, "criminal_charges": "unknown"}, 0,
     {**REVIEW, "reasons": ["E6", "E7"]}, False,
     ["utter_outcome_needs_review", reason("E6"), reason("E7")]),
    ("E6 review and E7 flag", {**NOT_REFUGEE, "criminal_charges": "related_to_hr_work"}, 0,
     {**REVIEW, "reasons": ["E6", "E7"]}, False,
     ["utter_outcome_needs_review", reason("E6"), "utter_reason_E7_flag"]),
    ("ineligible wins over review, both reported", {**FAILS["E4"], **FAILS["E6"]}, 0,
     {**INELIGIBLE, "reasons": ["E4", "E6"]}, False, [NO, reason("E4"), reason("E6")]),
    ("every rule fails but consent", {k: v for rule, fail in FAILS.items() if rule != "E8"
                                      for k, v in fail.items()} | {"immediate_threat": True}, 0,
     {**URGENT, **INELIGIBLE, "reasons": ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]}, True,
     [NO, *map(reason, ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]), HOME]),
    # U1 alone, with other outcomes, and with over-cap: one message, never contradictory.
    ("U1 immediate threat", {"immediate_threat": True}, 0, UPP, False,
     ["utter_outcome_eligible_urgent"]),
    ("U1 with needs review", {"immediate_threat": True, "refugee_status": "unknown"}, 0,
     {**REVIEW, **UPP, "reasons": ["E6"]}, False,
     ["utter_outcome_needs_review_urgent", reason("E6")]),
    ("U1 with flag", {"immediate_threat": True, "criminal_charges": "related_to_hr_work"}, 0,
     {**UPP, "reasons": ["E7"]}, False, ["utter_outcome_eligible_urgent", "utter_reason_E7_flag"]),
    ("U1 but ineligible: urgent, no pathway", {"immediate_threat": True, **FAILS["E1"]}, 0,
     {**URGENT, **INELIGIBLE, "reasons": ["E1"]}, True, [NO, reason("E1"), HOME]),
    ("over-cap, not urgent: waitlisted", {}, FULL, OVER, False,
     ["utter_outcome_eligible_waitlisted"]),
    ("U1 with over-cap: UPP once a space is available, waitlisted until then",
     {"immediate_threat": True}, FULL, {**UPP, **OVER}, False,
     ["utter_outcome_eligible_urgent_waitlisted"]),
    ("U1 with over-cap and needs review", {"immediate_threat": True, **NOT_REFUGEE}, FULL,
     {**REVIEW, **UPP, **OVER, "reasons": ["E6"]}, False,
     ["utter_outcome_needs_review_urgent_waitlisted", reason("E6")]),
    ("over-cap and needs review", NOT_REFUGEE, FULL, {**REVIEW, **OVER, "reasons": ["E6"]},
     False, ["utter_outcome_needs_review_waitlisted", reason("E6")]),
    ("ineligible and urgent never over the cap", {"immediate_threat": True, **FAILS["E3"]},
     FULL, {**URGENT, **INELIGIBLE, "reasons": ["E3"], "alternatives": RESETTLE}, False,
     [NO, reason("E3"), *map(alt, RESETTLE)]),
    # Priority and case size.
    ("woman: high", {"risk_factors": ["woman"]}, 0,
     {"priority": "high", "priority_factors": ["woman"]}, False, OK),
    ("medical needs: high", {"medical_needs": True}, 0,
     {"priority": "high", "priority_factors": ["medical_needs"]}, False, OK),
    ("all factors, listed in contract order",
     {"risk_factors": ["indigenous", "woman", "lgbtq2"], "medical_needs": True}, 0,
     {"priority": "high", "priority_factors": ["woman", "lgbtq2", "indigenous", "medical_needs"]},
     False, OK),
    ("urgent overrides risk factors", {"immediate_threat": True, "risk_factors": ["lgbtq2"]}, 0,
     UPP, False, ["utter_outcome_eligible_urgent"]),
    ("priority kept for an ineligible case", {**FAILS["E3"], "risk_factors": ["indigenous"]}, 0,
     {**INELIGIBLE, "reasons": ["E3"], "alternatives": RESETTLE, "priority": "high",
      "priority_factors": ["indigenous"]}, False, [NO, reason("E3"), *map(alt, RESETTLE)]),
    ("family of four: case of five", {"family_members": 4}, 0, {"case_size": 5}, False, OK),
    ("largest family", {"family_members": 20}, 0, {"case_size": 21}, False, OK),
]


@pytest.mark.parametrize(
    ("changes", "used", "expected", "in_country", "keys"),
    [pytest.param(c, u, e, i, k, id=name) for name, c, u, e, i, k in TABLE],
)
def test_decision_table(changes: dict[str, Any], used: int, expected: dict[str, Any],
                        in_country: bool, keys: list[str]):
    given = answers(**changes)
    result = decide(given, on=ON, spaces_used=used)
    assert result.to_dict() == decision(**expected)
    assert result.in_country is in_country
    assert [name for name, _ in outcome_messages(result.to_dict(), given)] == keys


def test_consent_is_a_precondition_not_an_outcome():
    with pytest.raises(PreconditionFailed, match="E8") as raised:
        decide(answers(**FAILS["E8"]), on=ON, spaces_used=0)
    assert raised.value.rule_id == "E8"
    with pytest.raises(PreconditionFailed):  # whatever else fails
        decide(answers(**FAILS["E8"], **FAILS["E1"]), on=ON, spaces_used=0)


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
