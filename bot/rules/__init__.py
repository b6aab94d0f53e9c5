"""The pure rules engine of stream-policy.md: policy versions as data, eligibility,
urgency, priority and capacity. No Rasa, no database, no I/O besides the policy files."""

from bot.rules.engine import RULES, Decision, Rule, counts_against_cap, decide
from bot.rules.versions import (
    Policy,
    PolicyError,
    StreamNotOpen,
    load_policies,
    may_refer,
    policy_on,
    referral_right,
)

__all__ = [
    "RULES",
    "Decision",
    "Policy",
    "PolicyError",
    "Rule",
    "StreamNotOpen",
    "counts_against_cap",
    "decide",
    "load_policies",
    "may_refer",
    "policy_on",
    "referral_right",
]
