"""Small helpers over the tracker shared by the actions (no texts, no rules here)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet

from actions.responses import language
from bot.config import dev_partner_org
from bot.intake.draft import cleared_draft, has_draft, new_intake_id
from bot.intake.routing import disguised_answer
from bot.rules import StreamNotOpen, load_policies, referral_refusal

REFERRAL_FORM = "referral_form"


def partner_org(tracker: Tracker) -> str | None:
    """From the authenticated channel (a slot set at session start), never from the text."""
    return tracker.get_slot("partner_org") or dev_partner_org()


def org_refusal(
    tracker: Tracker, on: datetime | None = None
) -> tuple[str, dict[str, Any]] | None:
    """None when the caseworker's organization may refer now (the Ottawa date of `on`);
    otherwise the refusal response and its values (partner names from the policy data)."""
    on = on or datetime.now(UTC)
    try:
        return referral_refusal(partner_org(tracker), on, language(tracker))
    except StreamNotOpen:  # before the stream opened: refuse, naming its first partners
        return referral_refusal(None, load_policies()[0].effective_from, language(tracker))


def draft_exists(tracker: Tracker) -> bool:
    return has_draft(tracker.slots)


def open_form(tracker: Tracker) -> list[EventType]:
    """Start (or re-open) the referral form; Rasa's RulePolicy then runs the active form."""
    events: list[EventType] = []
    if not tracker.get_slot("intake_id"):
        events.append(SlotSet("intake_id", new_intake_id()))
    events.append(ActiveLoop(REFERRAL_FORM))
    return events


def clear_draft_events() -> list[EventType]:
    return [SlotSet(slot, None) for slot in cleared_draft()]


def in_form(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == REFERRAL_FORM


def slot_events(updates: dict[str, Any] | None) -> list[EventType]:
    return [SlotSet(name, value) for name, value in (updates or {}).items()]


def answer_in_disguise(tracker: Tracker, places: bool = True) -> list[EventType]:
    """The answer to the question asked that NLU took for something else (bot.intake
    decides), as events; none when the message is no such answer."""
    return slot_events(disguised_answer(
        tracker.slots, tracker.get_slot("requested_slot"), in_form(tracker),
        tracker.latest_message.get("text") or "", places=places))
