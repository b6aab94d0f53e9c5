"""The pure rules engine of stream-policy.md: policy versions as data, eligibility,
urgency, priority and capacity, in Ottawa dates. No Rasa, no database, no I/O besides the
policy files."""

from bot.rules.dates import OTTAWA, ottawa_date, ottawa_year
from bot.rules.engine import (
    RULES,
    Decision,
    PreconditionFailed,
    Rule,
    RuleResult,
    check_preconditions,
    counts_against_cap,
    decide,
    explain,
    explain_case,
    takes_space,
)
from bot.rules.messages import outcome_messages, referral_refusal
from bot.rules.versions import (
    Policy,
    PolicyError,
    StreamNotOpen,
    load_policies,
    may_refer,
    policy_by_id,
    policy_for_year,
    policy_on,
    referral_right,
)

__all__ = [
    "OTTAWA",
    "RULES",
    "Decision",
    "Policy",
    "PolicyError",
    "PreconditionFailed",
    "Rule",
    "RuleResult",
    "StreamNotOpen",
    "check_preconditions",
    "counts_against_cap",
    "decide",
    "explain",
    "explain_case",
    "load_policies",
    "may_refer",
    "ottawa_date",
    "ottawa_year",
    "outcome_messages",
    "policy_by_id",
    "policy_for_year",
    "policy_on",
    "referral_refusal",
    "referral_right",
    "takes_space",
]
