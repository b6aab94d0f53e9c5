"""The chat page's history as the widget shows it: each message with its kind (a reply that
did not understand, an error) and where the questionnaire stands, read from the response
names Rasa keeps in each bot message's metadata (`utter_action`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.console.review.transcripts import ChatMessage
from bot.intake.message_kinds import message_kind
from bot.intake.progress import Progress, progress_of_response


@dataclass(frozen=True)
class ShownMessage:
    message: ChatMessage
    kind: str

    def __getattr__(self, name: str) -> Any:  # who, text, at, buttons
        return getattr(self.message, name)


@dataclass(frozen=True)
class ChatView:
    messages: list[ShownMessage]
    progress: Progress | None


def _responses(events: list[dict[str, Any]]) -> list[str | None]:
    """The response name of each bot message chat_messages shows, in order."""
    return [(event.get("metadata") or {}).get("utter_action") for event in events
            if event.get("event") == "bot"
            and (event.get("text") or (event.get("data") or {}).get("buttons"))]


def chat_view(events: list[dict[str, Any]], messages: list[ChatMessage]) -> ChatView:
    responses = iter(_responses(events))
    shown: list[ShownMessage] = []
    progress: Progress | None = None
    for message in messages:
        response = next(responses, None) if message.who == "bot" else None
        shown.append(ShownMessage(message, message_kind(response)))
        if message.who == "bot":
            progress = progress_of_response(response) or progress
    return ChatView(shown, progress)
