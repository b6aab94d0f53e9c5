"""Which domain responses explain a decision, in order. The texts live in domain.yml."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Message = tuple[str, dict[str, Any]]


def outcome_messages(decision: Mapping[str, Any], criminal_charges: str | None) -> list[Message]:
    """Response names (with template values) for the outcome, reasons, alternatives, next steps."""
    eligibility = decision["eligibility"]
    urgent = bool(decision["urgent"])
    values = {"case_size": decision["case_size"]}
    if eligibility == "ineligible":
        messages: list[Message] = [("utter_outcome_ineligible", {})]
    elif eligibility == "needs_review":
        name = "utter_outcome_needs_review_urgent" if urgent else "utter_outcome_needs_review"
        messages = [(name, values)]
    else:
        name = "utter_outcome_eligible_urgent" if urgent else "utter_outcome_eligible"
        messages = [(name, values)]
    for rule_id in decision["reasons"]:
        # E7 is a flag, not a failure, when the charges come from the human rights work itself.
        flagged = rule_id == "E7" and criminal_charges == "related_to_hr_work"
        messages.append((f"utter_reason_{rule_id}{'_flag' if flagged else ''}", {}))
    messages += [(f"utter_alternative_{code}", {}) for code in decision["alternatives"]]
    if eligibility != "ineligible" and decision["capacity"] == "over_cap":
        messages.append(("utter_capacity_over_cap", {}))
    return messages
