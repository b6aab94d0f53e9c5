"""What the chat says comes from the policy data: each reason cites its rule's source in
the version the decision used, and refusals name the partners of the version in force."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.rules import decide, outcome_messages, policy_by_id, referral_refusal
from tests.bot.rules.support import FAILS, answers

D = dt.date


@pytest.mark.parametrize(
    ("on", "version"),
    [(D(2022, 6, 1), "2021-launch"), (D(2023, 5, 1), "2023-direct-referrals"),
     (D(2024, 5, 1), "2023-doubled")],
)
def test_reasons_cite_the_source_of_the_version_decided_under(on: dt.date, version: str):
    given = answers(**FAILS["E3"], **FAILS["E4"], refugee_status="unknown",
                    criminal_charges="unknown")
    result = decide(given, on=on, spaces_used=0)
    policy = policy_by_id(version)
    reasons = [(name, values) for name, values in outcome_messages(result.to_dict(), given)
               if name.startswith("utter_reason_")]
    assert [name for name, _ in reasons] == [f"utter_reason_{r}" for r in result.reasons]
    for (_, values), rule_id in zip(reasons, result.reasons, strict=True):
        assert values == {"source": policy.rule_source(rule_id)}


def test_a_2022_decision_does_not_cite_a_2023_document():
    """Deviation 5: the chat cited "IRCC program delivery instructions" for 2022."""
    given = answers(refugee_status="none")
    result = decide(given, on=D(2022, 6, 1), spaces_used=0)
    (_, values), = [m for m in outcome_messages(result.to_dict(), given)
                    if m[0] == "utter_reason_E6"]
    assert "2023" not in values["source"] and "program delivery" not in values["source"]
    assert "July 2021" in values["source"]


def test_an_eligible_over_cap_case_is_not_told_it_counts():
    """Deviation 3: one message for urgent and over-cap; the spaces it would take are
    given only to fill the waitlisted text, which says it is waitlisted."""
    given = answers(immediate_threat=True)
    result = decide(given, on=D(2024, 5, 1), spaces_used=500).to_dict()
    messages = outcome_messages(result, given)
    assert [name for name, _ in messages] == ["utter_outcome_eligible_urgent_waitlisted"]


@pytest.mark.parametrize(
    ("org", "on", "language", "expected"),
    [
        # Deviation 4: an identifying partner is sent to the one that refers directly.
        ("front_line_defenders", D(2022, 6, 1), "en", ("utter_org_identify_only", "UNHCR")),
        ("protect_defenders_eu", D(2022, 6, 1), "fr", ("utter_org_identify_only", "HCR")),
        ("national_ngo", D(2022, 6, 1), "en", (
            "utter_org_cannot_refer", "UNHCR, Front Line Defenders, ProtectDefenders.eu")),
        ("national_ngo", D(2024, 6, 1), "fr", (
            "utter_org_cannot_refer", "Front Line Defenders, ProtectDefenders.eu, HCR")),
        (None, D(2024, 6, 1), "en", (
            "utter_org_cannot_refer", "Front Line Defenders, ProtectDefenders.eu, UNHCR")),
        ("front_line_defenders", D(2023, 3, 1), "en", None),
        ("unhcr", D(2021, 7, 1), "en", None),
    ],
)
def test_refusals_name_partners_from_the_policy(org, on, language, expected):
    refusal = referral_refusal(org, on, language)
    if expected is None:
        assert refusal is None
        return
    name, values = refusal
    assert (name, values["partners"]) == expected
    if name == "utter_org_identify_only":
        assert "Front Line" not in values["partners"] and "Protect" not in values["partners"]


def test_refusal_takes_the_ottawa_date():
    # 1 March 2023, 02:00 UTC is still 28 February in Ottawa: Front Line Defenders only
    # identifies cases until Ottawa's midnight.
    moment = dt.datetime(2023, 3, 1, 2, 0, tzinfo=dt.UTC)
    assert referral_refusal("front_line_defenders", moment)[0] == "utter_org_identify_only"
    later = dt.datetime(2023, 3, 1, 5, 30, tzinfo=dt.UTC)
    assert referral_refusal("front_line_defenders", later) is None
