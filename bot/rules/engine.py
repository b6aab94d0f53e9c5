"""The decision of stream-policy.md: eligibility, urgency, priority and capacity.

Pure: answers, an Ottawa date and the spaces already used in, a decision out. The rule table
below is the only place a rule (and its id) is written down in code; each rule's source is
in the policy data (policies/*.yml, `rule_sources`), so it can change with the version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from bot.rules.answers import RISK_FACTORS, Answers, parse_answers
from bot.rules.versions import Policy, policy_by_id, policy_on

Eligibility = Literal["eligible", "ineligible", "needs_review"]
Pathway = Literal["hrd_stream", "urgent_protection", "none"]
Priority = Literal["urgent", "high", "standard"]
Capacity = Literal["within_cap", "over_cap"]
# What a rule does to the case when it does not simply hold ("refused": a precondition).
Effect = Literal["ineligible", "needs_review", "flagged", "urgent", "refused"]
Kind = Literal["precondition", "eligibility", "urgency"]

# Alternative codes (stream-policy.md, "Alternatives": the regular Refugee Resettlement
# Program "when referred by UNHCR or sponsored privately").
REGULAR_RESETTLEMENT = "regular_resettlement_unhcr"
PRIVATE_SPONSORSHIP = "private_sponsorship"
REFUGEE_STATUSES_ESTABLISHED = frozenset({"recognized", "asylum_seeker"})


def _none(a: Answers) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    # The answers (slots) the rule reads, shown by `hrd policy explain` and the console.
    reads: tuple[str, ...]
    # None when the rule holds; otherwise what it does to the case.
    check: Callable[[Answers], Effect | None] = field(repr=False, compare=False)
    kind: Kind = "eligibility"
    # Other routes to Canada's protection, when this rule makes the case ineligible and
    # they can serve the person (stream-policy.md, "Alternatives").
    alternatives: Callable[[Answers], tuple[str, ...]] = field(
        default=_none, repr=False, compare=False)
    # Failing it means no alternative can serve (still at home, safe, or not wanting Canada).
    rules_out_alternatives: bool = False
    # Failing it records the case as `in_country`, for when temporary protection opens.
    records_in_country: bool = False

    def held(self, a: Answers) -> bool:
        """Whether the rule's summary is true of the answers."""
        effect = self.check(a)
        if self.kind == "urgency":
            return effect is not None
        return effect in (None, "flagged")


def _unless(holds: Callable[[Answers], bool], effect: Effect) -> Callable[[Answers], Effect | None]:
    return lambda a: None if holds(a) else effect


_TABLE: tuple[Rule, ...] = (
    # Checked before anything is decided or saved; never an eligibility outcome.
    Rule("E8", "consented to their information being shared with Canada",
         ("consent_to_share",),
         _unless(lambda a: a.consent_to_share, "refused"), kind="precondition"),
    # Resettlement needs the person outside their country; temporary protection is not open.
    Rule("E1", "outside their country of origin", ("country_of_origin", "current_country"),
         _unless(lambda a: a.current_country != a.country_of_origin, "ineligible"),
         rules_out_alternatives=True, records_in_country=True),
    # The regular program serves them only "if otherwise a refugee".
    Rule("E2", "fled persecution linked to their human rights work", ("fled_persecution",),
         _unless(lambda a: a.fled_persecution, "ineligible"),
         alternatives=lambda a: (REGULAR_RESETTLEMENT,)
         if a.refugee_status in REFUGEE_STATUSES_ESTABLISHED else ()),
    Rule("E3", "is a human rights defender", ("hrd_activity",),
         _unless(lambda a: a.hrd_activity != "none", "ineligible"),
         alternatives=lambda a: (REGULAR_RESETTLEMENT, PRIVATE_SPONSORSHIP)),
    # Safe where they are: no resettlement program applies.
    Rule("E4", "no durable solution where they are", ("safe_in_current_country",),
         _unless(lambda a: not a.safe_in_current_country, "ineligible"),
         rules_out_alternatives=True),
    # Every alternative is also resettlement to Canada, which they do not want.
    Rule("E5", "wants permanent resettlement in Canada", ("wants_resettlement_canada",),
         _unless(lambda a: a.wants_resettlement_canada, "ineligible"),
         rules_out_alternatives=True),
    Rule("E6", "refugee status recognized or claimed", ("refugee_status",),
         _unless(lambda a: a.refugee_status in REFUGEE_STATUSES_ESTABLISHED, "needs_review")),
    # Charges for the human rights work itself are flagged, so judicial harassment does
    # not make a defender inadmissible.
    Rule("E7", "no criminal charges, or only charges related to their human rights work",
         ("criminal_charges",),
         lambda a: {"none": None, "related_to_hr_work": "flagged"}.get(
             a.criminal_charges, "needs_review")),
    Rule("U1", "life, liberty or physical safety under immediate threat",
         ("immediate_threat",),
         lambda a: "urgent" if a.immediate_threat else None, kind="urgency"),
)

# In the spec's order: the eligibility rules, the consent precondition, then urgency.
RULES: Mapping[str, Rule] = MappingProxyType({
    rule.id: rule for rule in sorted(_TABLE, key=lambda r: (r.kind == "urgency", r.id))
})

# Effects reported in `reasons`; "urgent" is reported by `Decision.urgent` instead.
_REPORTED: frozenset[Effect] = frozenset({"ineligible", "needs_review", "flagged"})
# Outcomes that take spaces when they fit (stream-policy.md, Capacity).
_COUNTING: frozenset[Eligibility] = frozenset({"eligible", "needs_review"})


class PreconditionFailed(ValueError):
    """A precondition of saving (consent) does not hold: nothing may be decided or saved."""

    def __init__(self, rule: Rule) -> None:
        self.rule_id = rule.id
        super().__init__(
            f"{rule.id} not met ({rule.summary}: {', '.join(rule.reads)} must be true); "
            "the intake stops here and nothing is saved"
        )


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


@dataclass(frozen=True)
class RuleResult:
    """One line of an explanation: the rule, whether it held, what it read, its source."""

    rule_id: str
    summary: str
    held: bool
    effect: Effect | None
    read: tuple[tuple[str, Any], ...]
    source: str


def check_preconditions(answers: Mapping[str, Any]) -> Answers:
    """Parse the answers and check the preconditions of saving; raises ValueError on bad
    answers and PreconditionFailed (a ValueError) when consent is not given."""
    a = parse_answers(answers)
    for rule in _TABLE:
        if rule.kind == "precondition" and rule.check(a) is not None:
            raise PreconditionFailed(rule)
    return a


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


def _alternatives(a: Answers, failed: list[Rule]) -> tuple[str, ...]:
    """stream-policy.md, "Alternatives": only pathways that can serve the person."""
    if any(rule.rules_out_alternatives for rule in failed):
        return ()
    return tuple(dict.fromkeys(alt for rule in failed for alt in rule.alternatives(a)))


def counts_against_cap(decision: Decision) -> bool:
    """Takes spaces in its year: an outcome that counts, and it fit (not waitlisted)."""
    return decision.eligibility in _COUNTING and decision.capacity == "within_cap"


def takes_space(eligibility: str) -> bool:
    """The outcome takes spaces when it fits (eligible or needs_review)."""
    return eligibility in _COUNTING


def decide(
    answers: Mapping[str, Any],
    *,
    on: dt.date | dt.datetime,
    spaces_used: int,
    policies: Iterable[Policy] | None = None,
) -> Decision:
    """Decide a case on `on` (an Ottawa date, or an aware datetime taken at its Ottawa date),
    given the people already counted against that calendar year's cap (`spaces_used`).
    Raises PreconditionFailed without consent, ValueError on bad input, StreamNotOpen
    before launch."""
    a = check_preconditions(answers)
    if isinstance(spaces_used, bool) or not isinstance(spaces_used, int) or spaces_used < 0:
        raise ValueError(f"spaces_used must be a non-negative integer, got {spaces_used!r}")
    policy = policy_on(on, policies)

    checked = [(rule, rule.check(a)) for rule in RULES.values() if rule.kind != "precondition"]
    effects = {rule.id: effect for rule, effect in checked if effect is not None}
    failed = [rule for rule, effect in checked if effect == "ineligible"]
    eligibility = _eligibility(effects.values())
    urgent = "urgent" in effects.values()
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
        alternatives=_alternatives(a, failed),
        policy_version=policy.id,
        in_country=any(rule.records_in_country for rule in failed),
    )


def explain(answers: Mapping[str, Any], policy: Policy) -> list[RuleResult]:
    """Each rule in order: whether it held on these answers, what it read, its source in
    the policy version the decision used."""
    a = parse_answers(answers)
    return [
        RuleResult(
            rule_id=rule.id, summary=rule.summary, held=rule.held(a), effect=rule.check(a),
            read=tuple((slot, answers.get(slot)) for slot in rule.reads),
            source=policy.rule_source(rule.id),
        )
        for rule in RULES.values()
    ]


def explain_case(answers: Mapping[str, Any], decision: Mapping[str, Any]) -> list[RuleResult]:
    """`explain` for a stored case: the version is the one its decision recorded."""
    return explain(answers, policy_by_id(decision["policy_version"]))


def rule_effect(rule_id: str, answers: Mapping[str, Any]) -> Effect | None:
    """What one rule does on these answers (the chat words a flag unlike a failure)."""
    return RULES[rule_id].check(parse_answers(answers))


def in_country(answers: Mapping[str, Any]) -> bool:
    """Recorded as `in_country`: a rule that records it fails on these answers."""
    a = parse_answers(answers)
    return any(rule.records_in_country and rule.check(a) is not None for rule in _TABLE)
