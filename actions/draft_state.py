"""Small helpers over the tracker shared by the actions (no texts, no rules here)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet

from actions.responses import language
from bot.config import dev_partner_org
from bot.intake.draft import answer_updates, cleared_draft, has_draft, new_intake_id
from bot.intake.normalize import parse_answer
from bot.intake.questions import COUNTRY_SLOTS, FORM_SLOTS, TEXT_SLOTS
from bot.intake.readback import pending
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


def answer_in_disguise(tracker: Tracker, places: bool = True) -> list[EventType]:
    """A short answer that NLU took for small talk ("Kampala" read as a greeting) is still
    the answer to the question asked, when it parses as one. Free-text questions are left
    out: any text parses there, so small talk would be taken as an answer."""
    slot = tracker.get_slot("requested_slot")
    if (tracker.active_loop or {}).get("name") != REFERRAL_FORM or slot in TEXT_SLOTS:
        return []
    if slot not in FORM_SLOTS or slot == "summary_confirmed":
        return []
    if not places and slot in COUNTRY_SLOTS:
        return []
    parsed = parse_answer(slot, tracker.latest_message.get("text") or "")
    if not parsed.ok:
        return []
    if parsed.needs_readback:  # the form reads it back before storing it
        return [SlotSet("readback", pending(slot, parsed))]
    updates = answer_updates(slot, parsed, tracker.slots)
    return [SlotSet(name, value) for name, value in updates.items()]
