"""After the outcome (issue 20): "what happens now?", "how long will it take?", "thank you"
answered for this case's outcome. The outcome is kept in the `last_outcome` slot as the
few facts of the decision these replies need; the UPP's timeline applies to urgent cases
(stream-policy.md, rule U1). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.intake.repair import asks_timeline

QUEUED = "queued"  # saved in the outbox while the case database was down: no decision yet


def outcome_facts(decision: Mapping[str, Any] | None) -> dict[str, Any]:
    """What `last_outcome` keeps of a decision (None: the intake was queued)."""
    if decision is None:
        return {"eligibility": QUEUED, "urgent": False, "waitlisted": False}
    return {"eligibility": decision["eligibility"], "urgent": bool(decision["urgent"]),
            "waitlisted": decision["capacity"] == "over_cap"}


def timeline_key(outcome: Mapping[str, Any]) -> str:
    eligibility = outcome.get("eligibility")
    if eligibility in (QUEUED, "ineligible"):
        return str(eligibility)
    urgent, waitlisted = bool(outcome.get("urgent")), bool(outcome.get("waitlisted"))
    if urgent:
        return "urgent_waitlisted" if waitlisted else "urgent"
    return "waitlisted" if waitlisted else "standard"


def next_steps_responses(text: str, outcome: Mapping[str, Any] | None, in_form: bool
                         ) -> list[str]:
    """What happens now, or how long it takes, for the outcome just given; before any
    outcome, what happens once the form is done (or that nothing was submitted)."""
    if in_form or not outcome:
        return ["utter_next_steps_in_form" if in_form else "utter_next_steps_none"]
    timeline = f"utter_timeline_{timeline_key(outcome)}"
    if asks_timeline(text):
        return [timeline]
    steps = f"utter_next_steps_{outcome.get('eligibility')}"
    return [steps, timeline] if outcome.get("urgent") else [steps]


def thanks_response(outcome: Mapping[str, Any] | None, reference: str | None,
                    in_form: bool) -> str:
    """After an outcome with its reference, a thank-you gets the reference and what follows."""
    if in_form or not outcome or not reference or outcome.get("eligibility") == QUEUED:
        return "utter_you_are_welcome"
    return "utter_thanks_after_outcome"
