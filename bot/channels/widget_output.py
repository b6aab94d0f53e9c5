"""What the widget is told beside a message's text, from the response that said it (Rasa
puts its name, `utter_action`, in every bot message): its kind, so the page can set a reply
that did not understand or an error apart from the others; its place in the questionnaire
("Question 7 of 16"); and when it was said, for the message's time stamp.

Nothing else of the message's metadata reaches the browser."""

from __future__ import annotations

import time
from typing import Any

from rasa.core.channels.socketio import SocketIOOutput

from bot.intake.message_kinds import message_kind
from bot.intake.progress import progress_of_response


def message_extras(metadata: dict[str, Any]) -> dict[str, Any]:
    """The fields the widget reads beside `text` and `quick_replies`."""
    response = metadata.get("utter_action")
    extras: dict[str, Any] = {}
    kind = message_kind(response)
    if kind:
        extras["kind"] = kind
    progress = progress_of_response(response if isinstance(response, str) else None)
    if progress is not None:
        extras["progress"] = {"number": progress.number, "total": progress.total}
    stamp = metadata.get("timestamp")
    extras["timestamp"] = stamp if isinstance(stamp, int | float) else time.time()
    return extras


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, each message with its extras (message_extras)."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        extras = message_extras(kwargs)
        parts = text.strip().split("\n\n")
        for n, part in enumerate(parts):
            # The place in the questionnaire goes with the part that asks (the last one).
            part_extras = extras if n == len(parts) - 1 else {
                k: v for k, v in extras.items() if k != "progress"}
            await self._send_message(recipient_id, {"text": part, **part_extras})

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        extras = message_extras(kwargs)
        parts = text.strip().split("\n\n") or [text]
        for n, part in enumerate(parts):
            message: dict[str, Any] = {"text": part, "quick_replies": []}
            if n == len(parts) - 1:
                message["quick_replies"] = [
                    {"content_type": "text", "title": b.get("title"), "payload": b.get("payload")}
                    for b in buttons]
                message.update(extras)
            else:
                message.update({k: v for k, v in extras.items() if k != "progress"})
            await self._send_message(recipient_id, message)
