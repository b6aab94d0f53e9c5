"""Button presses. A button's payload can be a command ("/start_referral"), so a press reaches
Rasa as is only when the payload is one the bot offered: a button of the conversation's last
bot message, read from the tracker store. Anything else (a forged Telegram callback_data or
Slack action value, a stale button, a widget choice that is not on offer) is taken as typed
text and neutralized like any (bot.channels.text.plain_command).

Nothing here logs a payload or a sender id."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import BotUttered

from bot.channels.text import plain_command

logger = logging.getLogger(__name__)


def last_buttons(events: Iterable[Any]) -> list[dict[str, Any]]:
    """The buttons of the last bot message ([] when it had none): what the platforms still
    show as the current choice (the widget removes older ones)."""
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons") or []
            return [b for b in buttons if isinstance(b, dict)]
    return []


async def offered_buttons(agent: Any, sender_id: str) -> list[dict[str, Any]]:
    """The buttons the bot last offered in this conversation; [] if none or unreadable
    (then a press counts as typed text, which is safe)."""
    store = getattr(agent, "tracker_store", None)
    if store is None or not sender_id:
        return []
    locks = getattr(agent, "lock_store", None)
    try:
        if locks is None:
            tracker = await store.retrieve(sender_id)
        else:
            # The bot's buttons reach the user before its turn is saved: wait for the
            # conversation's lock (held for the whole turn), as Rasa does for a message.
            async with locks.lock(sender_id, wait_time_in_seconds=0.05):
                tracker = await store.retrieve(sender_id)
    except Exception as error:
        logger.error("choices: tracker not readable (%s)", type(error).__name__)
        return []
    return last_buttons(tracker.events) if tracker is not None else []


def pressed_text(buttons: list[dict[str, Any]], payload: str) -> str:
    """The payload as is if it is one of `buttons`, else neutralized as typed text."""
    offered = {str(b.get("payload") or "") for b in buttons}
    if payload and payload in offered:
        return payload
    return plain_command(payload)


def chosen_payload(buttons: list[dict[str, Any]], index: Any, title: Any) -> str | None:
    """The payload of the widget's choice `index` when that button is on offer with this
    title (a stale index after the bot moved on names another button, or none)."""
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(buttons):
        return None
    button = buttons[index]
    if not isinstance(title, str) or str(button.get("title") or "").strip() != title.strip():
        return None
    payload = str(button.get("payload") or "")
    return payload or None
