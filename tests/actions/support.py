"""Build rasa_sdk trackers and run actions in-process, as the action server would."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "domain.yml").read_text()
)


def tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    all_slots = dict.fromkeys(DOMAIN["slots"])
    all_slots["language"] = "en"
    all_slots.update(slots or {})
    return Tracker(
        sender_id="test-sender",
        slots=all_slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action: Action, state: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The action's events, and the messages it sent."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, state, DOMAIN))
    return events, dispatcher.messages


def responses(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("response") for m in messages]


def slot_sets(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


FULL_ANSWERS: dict[str, Any] = {
    "partner_case_reference": "UNHCR-42",
    "consent_to_share": True,
    "country_of_origin": "UG",
    "current_country": "KE",
    "hrd_activity": "journalism_media",
    "persecution_agent": "state",
    "fled_persecution": True,
    "refugee_status": "recognized",
    "safe_in_current_country": False,
    "immediate_threat": True,
    "threat_description": "Armed men came to her flat at night.",
    "family_members": 3,
    "risk_factors": ["woman", "lgbtq2"],
    "medical_needs": False,
    "criminal_charges": "none",
    "wants_resettlement_canada": True,
}
