"""Which assistant messages a chat sets apart: a reply that did not understand the answer,
and an error on our side. Pure: from the response's name (Rasa's `utter_action`)."""

from __future__ import annotations

from typing import Any

NOT_UNDERSTOOD_PREFIXES = ("utter_not_understood", "utter_invalid_", "utter_too_long_",
                           "utter_out_of_range_", "utter_correction_not_understood",
                           "utter_choose_", "utter_out_of_scope")
ERRORS = frozenset({"utter_action_failed", "utter_queued"})


def message_kind(response: Any) -> str:
    """"not_understood", "error" or "" (an ordinary message)."""
    if not isinstance(response, str):
        return ""
    if response in ERRORS:
        return "error"
    return "not_understood" if response.startswith(NOT_UNDERSTOOD_PREFIXES) else ""
