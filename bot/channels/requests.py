"""Validation of a partner channel request body: {"sender": str, "message": str}."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from bot.channels.text import plain_command

MAX_BODY_BYTES = 16 * 1024
MAX_MESSAGE_CHARS = 4000
MAX_SENDER_CHARS = 255  # the tracker store's sender_id column


class BadRequest(ValueError):
    """A rejected body: `status` (400 or 422), a stable `code`, a one-line message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    message: str


def control_free(text: str, allowed: str = "") -> bool:
    return not any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text
    )


def utf8_clean(text: str) -> bool:
    try:
        text.encode("utf-8")  # lone surrogates ("\ud800") would fail later, deep in Rasa
    except UnicodeEncodeError:
        return False
    return True


RESERVED_SENDER_PREFIXES = ("telegram:", "sms:", "whatsapp:", "slack:", "web:", "web-")


def parse_chat_request(body: bytes) -> ChatRequest:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadRequest(400, "malformed_json", "The body must be a UTF-8 JSON object.") from error
    if not isinstance(data, dict):
        raise BadRequest(400, "malformed_json", "The body must be a JSON object.")
    sender, message = data.get("sender"), data.get("message")
    for name, value in (("sender", sender), ("message", message)):
        if value is None:
            raise BadRequest(422, f"missing_{name}", f'"{name}" is required.')
        if not isinstance(value, str):
            raise BadRequest(422, f"invalid_{name}", f'"{name}" must be a string.')
        if not utf8_clean(value):
            raise BadRequest(422, f"invalid_{name}", f'"{name}" is not valid Unicode text.')
    assert isinstance(sender, str) and isinstance(message, str)
    if not sender.strip() or sender != sender.strip() or len(sender) > MAX_SENDER_CHARS \
            or not control_free(sender):
        raise BadRequest(422, "invalid_sender", f'"sender" must be 1-{MAX_SENDER_CHARS} '
                         "characters, without control characters or surrounding spaces.")
    if not message.strip():
        raise BadRequest(422, "missing_message", '"message" must not be empty.')
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(422, "message_too_long",
                         f'"message" is limited to {MAX_MESSAGE_CHARS} characters.')
    if not control_free(message, allowed="\t\n\r"):
        raise BadRequest(422, "invalid_message", '"message" contains control characters.')
    if sender.lower().startswith(RESERVED_SENDER_PREFIXES):
        # The other channels name their conversations so; a partner who took such an id
        # first would lock the linked account (or the widget's user) out of it.
        raise BadRequest(422, "invalid_sender", '"sender" uses a prefix reserved for a channel.')
    message = plain_command(message)
    if not message:
        raise BadRequest(422, "missing_message", '"message" must not be empty.')
    return ChatRequest(sender=sender, message=message)
