"""Bot text shaped for the messaging platforms: split to their size limits, and buttons
written out as numbered options where a platform has no buttons (SMS, WhatsApp)."""

from __future__ import annotations

from typing import Any

TELEGRAM_LIMIT = 4096
# Twilio refuses a Body over 1600 characters on every channel, WhatsApp included.
TWILIO_LIMIT = 1600
SLACK_BLOCK_LIMIT = 3000  # a section block's text; also under chat.postMessage's 40000


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, then line, then word
    boundaries, so that nothing is lost and short texts stay one message."""
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator, 0, limit)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit  # one unbroken word longer than the limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def numbered_options(text: str, buttons: list[dict[str, Any]]) -> str:
    """The text with its buttons as "1. Yes" lines: the intake normalizers take "2" as the
    second choice of a fixed-choice question (bot/intake/categories.py, yesno.py)."""
    titles = [str(b.get("title") or b.get("payload") or "").strip() for b in buttons]
    options = "\n".join(f"{n}. {title}" for n, title in enumerate(titles, 1) if title)
    return f"{text.strip()}\n\n{options}" if options else text.strip()


def plain_command(text: str) -> str:
    """Leading slashes dropped: Rasa reads "/intent{...}" as an intent with entities, which
    a chat user must not be able to inject; Telegram's "/start" becomes a greeting."""
    text = text.strip()
    if text.split("@", 1)[0].lower() == "/start":
        return "hello"
    return text.lstrip("/").strip()
