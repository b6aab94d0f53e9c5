"""The replies the channels give without a turn, so a caseworker is never met with silence:
when a turn fails before any action could answer (issue 20: the tracker store, the database,
unreachable, or Rasa failing outright; actions/guard.py and bot/runtime/action_unreachable.py
answer for failing actions), and when a message holds nothing to read (a photo, a voice note,
only invisible characters) or more than the channels take. Each text is a domain response in
the user's language: the message's own language when it is clearly one, else the account's
preference, else English (the conversation's language slot is in the store, which these
replies do not read).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from bot.config import current
from bot.intake.language import detect_language

logger = logging.getLogger(__name__)

RESPONSE = "utter_action_failed"
TEXT_ONLY = "utter_text_only"
TOO_LONG = "utter_message_too_long"
# Used only when the domain cannot be read.
DEFAULTS = {
    RESPONSE: ("Sorry, something went wrong on our side. Your intake is kept: nothing you "
               "answered is lost. Please try again in a minute."),
    TEXT_ONLY: "I can only read typed text. Please type your answer. Nothing was recorded.",
    TOO_LONG: ("That message is longer than I can read (at most 4,000 characters). Please "
               "send a shorter answer. Nothing was recorded from it."),
}


@cache
def _responses() -> dict[str, Any]:
    path = current().domain_path  # HRD_DOMAIN_PATH
    try:
        from rasa.shared.core.domain import Domain

        return dict(Domain.load(path).responses)
    except Exception as error:  # the English defaults above still answer
        logger.info("channel replies: %s not readable (%s)", path, type(error).__name__)
        return {}


def failure_text(message: str, metadata: dict[str, Any] | None) -> str:
    return reply_text(RESPONSE, message, metadata)


def reply_text(response: str, message: str, metadata: dict[str, Any] | None) -> str:
    """The domain's `response` in the language of `message`, else of the account."""
    auth = (metadata or {}).get("hrd_auth") or {}  # bot.channels.partner.AUTH_METADATA_KEY
    language = detect_language(message or "") or auth.get("language") or "en"
    plain = None
    for variant in _responses().get(response) or ():
        conditions = variant.get("condition") or []
        if not conditions:
            plain = plain or variant.get("text")
        elif any(c.get("name") == "language" and c.get("value") == language
                 for c in conditions):
            return str(variant.get("text"))
    return str(plain or DEFAULTS[response])
