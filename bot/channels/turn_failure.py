"""The reply when a turn fails before any action could answer (issue 20): the tracker store
(the database) unreachable, or Rasa failing outright. actions/guard.py and
bot/runtime/action_unreachable.py answer for failing actions; this covers what is left, so
a caseworker is never met with silence. The text is the domain's `utter_action_failed` in
the user's language: the message's own language when it is clearly one, else the account's
preference, else English (the conversation's language slot is in the unreachable store).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from bot.config import current
from bot.intake.language import detect_language

logger = logging.getLogger(__name__)

RESPONSE = "utter_action_failed"
DEFAULT_TEXT = ("Sorry, something went wrong on our side. Your intake is kept: nothing you "
                "answered is lost. Please try again in a minute.")


@cache
def _variants() -> tuple[dict[str, Any], ...]:
    path = current().domain_path  # HRD_DOMAIN_PATH
    try:
        from rasa.shared.core.domain import Domain

        return tuple(Domain.load(path).responses.get(RESPONSE) or ())
    except Exception as error:  # the English default below still answers
        logger.info("failure text: %s not readable (%s)", path, type(error).__name__)
        return ()


def failure_text(message: str, metadata: dict[str, Any] | None) -> str:
    auth = (metadata or {}).get("hrd_auth") or {}  # bot.channels.partner.AUTH_METADATA_KEY
    language = detect_language(message or "") or auth.get("language") or "en"
    plain = None
    for variant in _variants():
        conditions = variant.get("condition") or []
        if not conditions:
            plain = plain or variant.get("text")
        elif any(c.get("name") == "language" and c.get("value") == language
                 for c in conditions):
            return str(variant.get("text"))
    return str(plain or DEFAULT_TEXT)
