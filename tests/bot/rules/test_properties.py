"""Properties over every valid answer combination, checked against an independent oracle
written straight from stream-policy.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.rules import RULES, counts_against_cap, decide
from bot.rules.answers import CRIMINAL_CHARGES, HRD_ACTIVITIES, REFUGEE_STATUSES, RISK_FACTORS
from tests.bot.rules.support import CONTRACT_DECISION_KEYS

TIER = {"standard": 0, "high": 1, "urgent": 2}
# Few countries, so origin == current (the E1 failure) comes up often.
COUNTRIES = st.sampled_from(["UG", "KE", "IR", "CA"])

valid_answers = st.fixed_dictionaries(
    {
        "partner_case_reference": st.text(min_size=1, max_size=64),
        # Consent is a precondition (test_decision_table covers its refusal).
        "consent_to_share": st.just(True),
        "country_of_origin": COUNTRIES,
        "current_country": COUNTRIES,
        "hrd_activity": st.sampled_from(sorted(HRD_ACTIVITIES)),
        "persecution_agent": st.sampled_from(["state", "non_state", "both"]),
        "fled_persecution": st.booleans(),
        "refugee_status": st.sampled_from(sorted(REFUGEE_STATUSES)),
        "safe_in_current_country": st.booleans(),
        "immediate_threat": st.booleans(),
        "family_members": st.integers(0, 20),
        "risk_factors": st.lists(st.sampled_from(RISK_FACTORS), unique=True),
        "medical_needs": st.booleans(),
        "criminal_charges": st.sampled_from(sorted(CRIMINAL_CHARGES)),
        "wants_resettlement_canada": st.booleans(),
    },
    optional={"summary_confirmed": st.booleans(), "threat_description": st.text(max_size=50)},
)
dates = st.dates(dt.date(2021, 7, 1), dt.date(2035, 12, 31))
spaces = st.integers(0, 2_000)


def fails_e1_to_e5(a: dict[str, Any]) -> bool:
    return (
        a["current_country"] == a["country_of_origin"]
        or not a["fled_persecution"]
        or a["hrd_activity"] == "none"
        or a["safe_in_current_country"]
        or not a["wants_resettlement_canada"]
    )


def asks_review(a: dict[str, Any]) -> bool:
    return a["refugee_status"] in {"none", "unknown"} or a["criminal_charges"] in {
        "unrelated", "unknown"
    }


@given(valid_answers, dates, spaces)
def test_decide_is_total_and_well_formed(a: dict[str, Any], on: dt.date, used: int):
    result = decide(a, on=on, spaces_used=used).to_dict()
    assert set(result) == CONTRACT_DECISION_KEYS
    assert result["eligibility"] in {"eligible", "ineligible", "needs_review"}
    assert result["pathway"] in {"hrd_stream", "urgent_protection", "none"}
    assert result["priority"] in TIER
    assert result["capacity"] in {"within_cap", "over_cap"}
    assert result["case_size"] == 1 + a["family_members"]
    assert set(result["alternatives"]) <= {"regular_resettlement_unhcr", "private_sponsorship"}
    rule_order = [rule_id for rule_id in RULES if rule_id not in {"U1", "E8"}]
    assert result["reasons"] == [r for r in rule_order if r in result["reasons"]]


@given(valid_answers, dates)
def test_ineligible_exactly_when_e1_to_e5_fails(a: dict[str, Any], on: dt.date):
    result = decide(a, on=on, spaces_used=0)
    assert (result.eligibility == "ineligible") is fails_e1_to_e5(a)


@given(valid_answers, dates)
def test_outcome_matches_the_policy_text(a: dict[str, Any], on: dt.date):
    result = decide(a, on=on, spaces_used=0)
    if fails_e1_to_e5(a):
        expected = "ineligible"
    elif asks_review(a):
        expected = "needs_review"
    else:
        expected = "eligible"
    assert result.eligibility == expected
    assert result.in_country is (a["current_country"] == a["country_of_origin"])


@given(valid_answers, dates)
def test_urgent_exactly_when_u1_holds(a: dict[str, Any], on: dt.date):
    result = decide(a, on=on, spaces_used=0)
    assert result.urgent is a["immediate_threat"]
    assert (result.priority == "urgent") is a["immediate_threat"]
    assert (result.pathway == "urgent_protection") is (
        a["immediate_threat"] and result.eligibility != "ineligible"
    )
    assert (result.pathway == "none") is (result.eligibility == "ineligible")


@given(valid_answers, st.sampled_from([*RISK_FACTORS, "medical_needs"]), dates)
def test_adding_a_risk_factor_never_lowers_the_tier(a: dict[str, Any], factor: str, on: dt.date):
    more = {**a, "risk_factors": [*a["risk_factors"]]}
    if factor == "medical_needs":
        more["medical_needs"] = True
    elif factor not in more["risk_factors"]:
        more["risk_factors"].append(factor)
    before = decide(a, on=on, spaces_used=0)
    after = decide(more, on=on, spaces_used=0)
    assert TIER[after.priority] >= TIER[before.priority]
    assert set(before.priority_factors) <= set(after.priority_factors)
    if not a["immediate_threat"]:
        assert after.priority == "high"
        assert factor in after.priority_factors


@given(valid_answers, dates, spaces)
def test_reasons_never_empty_unless_eligible(a: dict[str, Any], on: dt.date, used: int):
    result = decide(a, on=on, spaces_used=used)
    if result.eligibility != "eligible":
        assert result.reasons
    else:
        assert set(result.reasons) <= {"E7"}  # only the related-to-HR-work flag


def alternatives_oracle(a: dict[str, Any]) -> set[str]:
    """stream-policy.md, "Alternatives", read literally."""
    if (a["current_country"] == a["country_of_origin"] or a["safe_in_current_country"]
            or not a["wants_resettlement_canada"]):
        return set()
    found = set()
    if not a["fled_persecution"] and a["refugee_status"] in {"recognized", "asylum_seeker"}:
        found.add("regular_resettlement_unhcr")
    if a["hrd_activity"] == "none":
        found |= {"regular_resettlement_unhcr", "private_sponsorship"}
    return found


@given(valid_answers, dates)
def test_alternatives_only_where_they_can_serve(a: dict[str, Any], on: dt.date):
    result = decide(a, on=on, spaces_used=0)
    assert set(result.alternatives) == alternatives_oracle(a)
    assert len(result.alternatives) == len(set(result.alternatives))
    if result.alternatives:
        assert result.eligibility == "ineligible"


@given(valid_answers, dates, spaces)
def test_over_cap_only_for_cases_taking_space(a: dict[str, Any], on: dt.date, used: int):
    from bot.rules import policy_on

    result = decide(a, on=on, spaces_used=used)
    cap = policy_on(on).annual_cap
    expected_over = (result.eligibility != "ineligible") and used + result.case_size > cap
    assert (result.capacity == "over_cap") is expected_over
    # Only a case that fits takes spaces: a waitlisted one counts nothing.
    assert counts_against_cap(result) is (result.eligibility != "ineligible" and not expected_over)
