"""Which chat responses explain a decision or a refusal, in order, with their values. The
texts live in domain.yml; the values (each rule's source, partner names) come from the
policy data, so a new version changes what the chat cites without a code change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from bot.rules.engine import in_country, rule_effect, takes_space
from bot.rules.versions import Policy, policy_by_id, policy_on

Message = tuple[str, dict[str, Any]]


def outcome_key(decision: Mapping[str, Any]) -> str:
    """One message for the outcome, urgency and capacity together, so an urgent case over
    the cap is told once, without contradiction, that the UPP expedites it when a space is
    available and that it is waitlisted until then."""
    eligibility = decision["eligibility"]
    if eligibility == "ineligible":
        return "utter_outcome_ineligible"
    urgent = "_urgent" if decision["urgent"] else ""
    waitlisted = "_waitlisted" if decision["capacity"] == "over_cap" else ""
    return f"utter_outcome_{eligibility}{urgent}{waitlisted}"


def outcome_messages(
    decision: Mapping[str, Any],
    answers: Mapping[str, Any],
    policies: Iterable[Policy] | None = None,
) -> list[Message]:
    """Response names (with template values) for the outcome, reasons, alternatives and the
    in-country record. Reasons cite the source of the policy version the decision used."""
    policy = policy_by_id(decision["policy_version"], policies)
    values = {"case_size": decision["case_size"]} if takes_space(decision["eligibility"]) else {}
    messages: list[Message] = [(outcome_key(decision), values)]
    for rule_id in decision["reasons"]:
        # A flag (charges for the human rights work) is worded unlike a failure.
        flag = "_flag" if rule_effect(rule_id, answers) == "flagged" else ""
        messages.append((f"utter_reason_{rule_id}{flag}", {"source": policy.rule_source(rule_id)}))
    messages += [(f"utter_alternative_{code}", {}) for code in decision["alternatives"]]
    # The contract's decision object has no in_country field: the rules read the answers.
    if in_country(answers):
        messages.append(("utter_in_country_recorded", {}))
    return messages


def partner_list(policy: Policy, *groups: Iterable[str], language: str) -> str:
    """Partner names for a sentence: group by group (direct partners first), by id."""
    return ", ".join(policy.partner_name(org, language) for group in groups
                     for org in sorted(group))


def referral_refusal(
    org_id: str | None,
    on: dt.date | dt.datetime,
    language: str = "en",
    policies: Iterable[Policy] | None = None,
) -> Message | None:
    """None when the organization may refer on `on`; otherwise the refusal, naming from the
    policy in force the partners it should work through. An identifying partner is told
    to identify the case to a partner that refers directly in that version."""
    policy = policy_on(on, policies)
    if org_id and org_id in policy.direct_referral_partners:
        return None
    direct = policy.direct_referral_partners
    if org_id and org_id in policy.identifying_partners:
        return "utter_org_identify_only", {"partners": partner_list(
            policy, direct, language=language)}
    return "utter_org_cannot_refer", {"partners": partner_list(
        policy, direct, policy.identifying_partners, language=language)}
