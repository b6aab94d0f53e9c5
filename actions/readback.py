"""Read-backs and change reports: what was understood, said back in the caseworker's words.

The logic (when to read back, what a reply means, which value replaces which) is in
bot.intake; here are only the messages, built from the domain's texts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedAction
from actions.responses import button_titles, language, text
from actions.summary import display_value
from bot.intake.questions import CHOICES
from bot.intake.readback import READBACK_SLOTS, slot_of
from bot.intake.routing import Route


def field(slot: str, domain: dict[str, Any], lang: str) -> str:
    return text(domain, f"utter_field_{slot}", lang) or slot


def say_changes(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: dict[str, Any],
    updates: Mapping[str, Any],
) -> bool:
    """"Changed: Family members: 4 (was 3)." for what really changed; when nothing did,
    says so and asks what it should be. True when something changed."""
    lang = language(tracker)
    lines = []
    for slot, new in updates.items():
        if slot == "summary_confirmed" or not text(domain, f"utter_field_{slot}", lang):
            continue
        old = tracker.get_slot(slot)
        if old == new or (new is None and slot == "threat_description"):
            continue
        lines.append(
            text(domain, "utter_change_line", lang).format(
                field=field(slot, domain, lang),
                new=display_value(slot, new, domain, lang),
                old=display_value(slot, old, domain, lang),
            )
        )
    if lines:
        dispatcher.utter_message(response="utter_correction_changed", changes="\n".join(lines))
        return True
    slot = next((s for s in updates if s != "summary_confirmed"), "")
    dispatcher.utter_message(
        response="utter_correction_unchanged",
        field=field(slot, domain, lang),
        value=display_value(slot, tracker.get_slot(slot), domain, lang),
    )
    return False


def follow(
    route: Route, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> dict[str, Any]:
    """Says what bot.intake decided (a change report, the responses, the numbered options,
    in that order) and returns its slot updates."""
    if route.changes is not None:
        say_changes(dispatcher, tracker, domain, route.changes)
    for response in route.responses:
        dispatcher.utter_message(response=response)
    if route.numbered:
        options = numbered_options(route.numbered, domain, language(tracker))
        dispatcher.utter_message(response="utter_choose_numbered", options=options)
    return dict(route.updates)


class ActionAskReadback(GuardedAction, ABC):
    """Asks a pending read-back: "I understood: ... Is that right?" or a numbered pick."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = language(tracker)
        slot = slot_of(self.name().removeprefix("action_ask_")) or ""
        readback = tracker.get_slot("readback") or {}
        choices = list(readback.get("choices") or [None])
        label = field(slot, domain, lang)
        if len(choices) == 1:
            dispatcher.utter_message(
                response="utter_readback",
                field=label,
                value=display_value(slot, choices[0], domain, lang),
            )
            return []
        options = [display_value(slot, value, domain, lang) for value in choices]
        dispatcher.utter_message(
            response="utter_readback_pick",
            field=label,
            options="\n".join(f"{n}. {option}" for n, option in enumerate(options, 1)),
            buttons=[{"title": o, "payload": str(n)} for n, o in enumerate(options, 1)],
        )
        return []


def numbered_options(slot: str, domain: dict[str, Any], lang: str) -> str:
    """"1. Yes / 2. No", "1. Journalism and media ...": the question's options, numbered."""
    titles = button_titles(domain, f"utter_ask_{slot}", lang)
    # In the order the parsers number them (CHOICES; yes then no), whatever the buttons' order.
    values = CHOICES.get(slot, ("yes", "no"))
    return "\n".join(f"{n}. {titles.get(v, v)}" for n, v in enumerate(values, 1))


def _ask_action(name: str) -> type[ActionAskReadback]:
    action = f"action_ask_{name}"
    return type(f"ActionAsk_{name}", (ActionAskReadback,), {"name": lambda self: action})


# One ask action per read-back (the form looks up action_ask_<requested_slot>); rasa_sdk
# registers every concrete Action subclass it finds.
READBACK_ACTIONS = [_ask_action(name) for name in READBACK_SLOTS]
