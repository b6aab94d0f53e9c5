"""The widget's messages carry their kind, their place in the questionnaire and their time;
nothing else of Rasa's metadata (the response's name) reaches the browser."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.channels.widget_output import WidgetOutput, message_extras


class _Sio:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def emit(self, event: str, data: dict[str, Any], room: str) -> None:
        self.sent.append(data)


def test_extras_from_the_response_name() -> None:
    asking = message_extras({"utter_action": "utter_ask_hrd_activity", "timestamp": 12.5})
    assert asking == {"progress": {"number": 5, "total": 16}, "timestamp": 12.5}
    assert message_extras({"utter_action": "utter_not_understood"})["kind"] == "not_understood"
    assert message_extras({"utter_action": "utter_action_failed"})["kind"] == "error"
    assert "utter_action" not in message_extras({"utter_action": "utter_greet"})


def test_messages_sent_with_their_extras_and_buttons_by_title_and_payload() -> None:
    sio = _Sio()
    output = WidgetOutput(sio, "bot_uttered")  # type: ignore[arg-type]
    asyncio.run(output.send_text_with_buttons(
        "web-1-x", "Intro.\n\nWhich one?", [{"title": "Yes", "payload": "yes"}],
        utter_action="utter_ask_consent_to_share", timestamp=1.0))
    asyncio.run(output.send_text_message("web-1-x", "Sorry, I didn't understand that.",
                                         utter_action="utter_not_understood", timestamp=2.0))
    first, second, third = sio.sent
    assert first == {"text": "Intro.", "quick_replies": [], "timestamp": 1.0}
    assert second["quick_replies"] == [{"content_type": "text", "title": "Yes", "payload": "yes"}]
    assert second["progress"] == {"number": 2, "total": 16}
    assert third == {"text": "Sorry, I didn't understand that.", "kind": "not_understood",
                     "timestamp": 2.0}
    assert all("utter_action" not in m for m in sio.sent)
