"""The summary of all answers, asked as the form's last question (summary_confirmed)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import GuardedAction
from actions.responses import button_titles, language, text
from bot.intake.countries import country_name
from bot.intake.questions import BOOLEAN_SLOTS, CHOICES, FORM_SLOTS, STATELESS


def display_value(slot: str, value: Any, domain: dict[str, Any], lang: str) -> str:
    """One answer as the caseworker reads it: labels from the domain, countries by name."""
    if value is None:
        return "-"
    if slot in BOOLEAN_SLOTS:
        return text(domain, "utter_label_yes" if value else "utter_label_no", lang)
    if slot in ("country_of_origin", "current_country"):
        return country_name(value, lang)
    if slot in CHOICES:
        titles = button_titles(domain, f"utter_ask_{slot}", lang)
        items = value if isinstance(value, list) else [value]
        none = text(domain, "utter_label_none", lang)
        return ", ".join(titles.get(str(v), str(v)) for v in items) or none
    return str(value)


def summary_values(slots: dict[str, Any], domain: dict[str, Any], lang: str) -> dict[str, str]:
    """Each answer of the summary, by slot."""
    return {
        slot: display_value(slot, slots.get(slot), domain, lang)
        for slot in FORM_SLOTS
        if slot != "summary_confirmed"
    }


class ActionAskSummaryConfirmed(GuardedAction):
    def name(self) -> str:
        return "action_ask_summary_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = language(tracker)
        values = summary_values(tracker.slots, domain, lang)
        threat_line = ""
        if tracker.get_slot("immediate_threat") and tracker.get_slot("threat_description"):
            threat_line = text(domain, "utter_summary_threat_line", lang).format(
                threat_description=values["threat_description"]
            )
        # Issue 20: a stateless defender's "country of origin" is the former residence.
        stateless_line = (text(domain, "utter_summary_stateless_line", lang)
                          if tracker.get_slot(STATELESS) is True else "")
        dispatcher.utter_message(response="utter_summary", threat_line=threat_line,
                                 stateless_line=stateless_line, **values)
        dispatcher.utter_message(response="utter_ask_confirm_summary")
        return []
