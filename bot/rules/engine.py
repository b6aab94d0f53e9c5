"""The decision of stream-policy.md: eligibility, urgency, priority and capacity.

Pure: answers, a date and the spaces already used in, a decision out. The rule table below
is the only place a rule (and its id) is written down; everything else derives from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from bot.rules.answers import RISK_FACTORS, Answers, parse_answers
from bot.rules.versions import Policy, policy_on

Eligibility = Literal["eligible", "ineligible", "needs_review"]
Pathway = Literal["hrd_stream", "urgent_protection", "none"]
Priority = Literal["urgent", "high", "standard"]
Capacity = Literal["within_cap", "over_cap"]
# What a rule does to the case when it does not simply hold.
Effect = Literal["ineligible", "needs_review", "flagged", "urgent"]

# Alternative codes (stream-policy.md, Background: regular Refugee Resettlement Program
# "when referred by UNHCR or sponsored privately"; temporary protection for in-country HRDs).
REGULAR_RESETTLEMENT = "regular_resettlement_unhcr"
PRIVATE_SPONSORSHIP = "private_sponsorship"
TEMPORARY_PROTECTION = "temporary_protection"
_REGULAR_PROGRAM = (REGULAR_RESETTLEMENT, PRIVATE_SPONSORSHIP)

_ELIGIBILITY = "stream-policy.md, Eligibility"
_BRIEFING = "program briefing (2021)"


@dataclass(frozen=True)
class Rule:
    id: str
    source: str
    summary: str
    # None when the rule holds; otherwise what it does to the case.
    check: Callable[[Answers], Effect | None] = field(repr=False, compare=False)
    # Other routes to Canada's protection offered when this rule makes the case ineligible.
    alternatives: tuple[str, ...] = ()


def _unless(holds: Callable[[Answers], bool], effect: Effect) -> Callable[[Answers], Effect | None]:
    return lambda a: None if holds(a) else effect


_TABLE: tuple[Rule, ...] = (
    Rule("E1", f"{_ELIGIBILITY}; {_BRIEFING}: the first stage serves HRDs outside their "
               "country of origin; options for those inside are being explored",
         "outside their country of origin",
         _unless(lambda a: a.current_country != a.country_of_origin, "ineligible"),
         # Also how `in_country` is recorded: only in-country defenders get this alternative.
         alternatives=(TEMPORARY_PROTECTION,)),
    Rule("E2", f"{_ELIGIBILITY}; {_BRIEFING}: HRDs who have fled persecution for their work",
         "fled persecution linked to their human rights work",
         _unless(lambda a: a.fled_persecution, "ineligible"),
         alternatives=_REGULAR_PROGRAM),
    Rule("E3", f"{_ELIGIBILITY}; {_BRIEFING}: anyone who protects or promotes human rights, "
               "whatever their occupation",
         "is a human rights defender",
         _unless(lambda a: a.hrd_activity != "none", "ineligible"),
         alternatives=_REGULAR_PROGRAM),
    # Safe where they are: no resettlement program applies, so no alternative is offered.
    Rule("E4", f"{_ELIGIBILITY}; {_BRIEFING}: HRDs who need a pathway to permanent residence",
         "no durable solution where they are",
         _unless(lambda a: not a.safe_in_current_country, "ineligible")),
    # Every alternative is also resettlement to Canada, which they do not want.
    Rule("E5", f"{_ELIGIBILITY}; {_BRIEFING}: resettlement to Canada as government-assisted "
               "refugees",
         "wants permanent resettlement in Canada",
         _unless(lambda a: a.wants_resettlement_canada, "ineligible")),
    Rule("E6", f"{_ELIGIBILITY}: an officer determines refugee status",
         "refugee status recognized or claimed",
         _unless(lambda a: a.refugee_status in {"recognized", "asylum_seeker"}, "needs_review")),
    Rule("E7", f"{_ELIGIBILITY}: admissibility; charges for human rights work are flagged so "
               "judicial harassment does not make a defender inadmissible",
         "no criminal charges, or only charges related to their human rights work",
         lambda a: {"none": None, "related_to_hr_work": "flagged"}.get(
             a.criminal_charges, "needs_review")),
    # The intake stops before saving anything on refusal; kept here so `decide` is total.
    Rule("E8", f"{_ELIGIBILITY}; intake-contract.md: consent is asked second, before anything "
               "sensitive",
         "consented to their information being shared with Canada",
         _unless(lambda a: a.consent_to_share, "ineligible")),
    Rule("U1", "stream-policy.md, Urgency; program briefing (2021): Urgent Protection Program",
         "life, liberty or physical safety under immediate threat",
         lambda a: "urgent" if a.immediate_threat else None),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _TABLE})

# Effects reported in `reasons`; "urgent" is reported by `Decision.urgent` instead.
_REPORTED: frozenset[Effect] = frozenset({"ineligible", "needs_review", "flagged"})
# Outcomes that take spaces (stream-policy.md, Capacity).
_COUNTING: frozenset[Eligibility] = frozenset({"eligible", "needs_review"})


@dataclass(frozen=True)
class Decision:
    eligibility: Eligibility
    urgent: bool
    pathway: Pathway
    priority: Priority
    priority_factors: tuple[str, ...]
    case_size: int
    capacity: Capacity
    reasons: tuple[str, ...]
    alternatives: tuple[str, ...]
    policy_version: str
    in_country: bool

    def to_dict(self) -> dict[str, Any]:
        """The contract's "decision" object (intake-contract.md, Case API); JSON-ready."""
        return {
            "eligibility": self.eligibility,
            "urgent": self.urgent,
            "pathway": self.pathway,
            "priority": self.priority,
            "priority_factors": list(self.priority_factors),
            "case_size": self.case_size,
            "capacity": self.capacity,
            "reasons": list(self.reasons),
            "alternatives": list(self.alternatives),
            "policy_version": self.policy_version,
        }


def _eligibility(effects: Iterable[Effect]) -> Eligibility:
    found = set(effects)
    if "ineligible" in found:
        return "ineligible"
    return "needs_review" if "needs_review" in found else "eligible"


def _pathway(eligibility: Eligibility, urgent: bool) -> Pathway:
    if eligibility == "ineligible":
        return "none"
    return "urgent_protection" if urgent else "hrd_stream"


def _priority(a: Answers, urgent: bool) -> tuple[Priority, tuple[str, ...]]:
    """stream-policy.md, Priority: orders review queues, never a reason to refuse."""
    if urgent:
        return "urgent", ("immediate_threat",)
    factors = tuple(f for f in RISK_FACTORS if f in a.risk_factors)
    factors += ("medical_needs",) if a.medical_needs else ()
    return ("high" if factors else "standard"), factors


def counts_against_cap(decision: Decision) -> bool:
    return decision.eligibility in _COUNTING


def decide(
    answers: Mapping[str, Any],
    *,
    on: dt.date,
    spaces_used: int,
    policies: Iterable[Policy] | None = None,
) -> Decision:
    """Decide a case on date `on`, given the people already counted against that calendar
    year's cap (`spaces_used`). Raises ValueError on bad input, StreamNotOpen before launch."""
    a = parse_answers(answers)
    if isinstance(spaces_used, bool) or not isinstance(spaces_used, int) or spaces_used < 0:
        raise ValueError(f"spaces_used must be a non-negative integer, got {spaces_used!r}")
    policy = policy_on(on, policies)

    effects = {rule.id: effect for rule in _TABLE if (effect := rule.check(a)) is not None}
    eligibility = _eligibility(effects.values())
    urgent = "urgent" in effects.values()
    alternatives = tuple(dict.fromkeys(
        alt for rule_id in effects for alt in RULES[rule_id].alternatives
    ))
    priority, factors = _priority(a, urgent)
    case_size = 1 + a.family_members
    # Ineligible cases take no space, so they never go over the cap.
    over = eligibility in _COUNTING and spaces_used + case_size > policy.annual_cap

    return Decision(
        eligibility=eligibility,
        urgent=urgent,
        pathway=_pathway(eligibility, urgent),
        priority=priority,
        priority_factors=factors,
        case_size=case_size,
        capacity="over_cap" if over else "within_cap",
        reasons=tuple(rule_id for rule_id, effect in effects.items() if effect in _REPORTED),
        alternatives=alternatives,
        policy_version=policy.id,
        in_country=TEMPORARY_PROTECTION in alternatives,
    )
