"""Text between people and the platforms: bot text split to the platforms' size limits,
buttons written out as numbered options where a platform has no buttons (SMS, WhatsApp),
and user text with its leading slashes neutralized (plain_command, used by every channel)."""

from __future__ import annotations

import unicodedata
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


# "/" and the characters that look like it. Rasa 3.6 reads a message as an intent when its
# text, after str.strip(), starts with "/" (YAMLStoryReader.unpack_regex_message, run by
# RegexMessageHandler); nothing in this pipeline maps a look-alike to "/", but a future
# normalizer (NFKC turns U+FF0F into "/") must not reopen the door.
SLASHES = frozenset("/\u2044\u2215\uff0f\u29f8\u2571\u27cb\u2afb\u2afd\u0338")


def _leading_noise(ch: str) -> bool:
    """A slash, a space of any kind (what str.strip removes) or an invisible format
    character (zero-width space, BOM...), any of which can hide a slash behind it."""
    return ch in SLASHES or ch.isspace() or unicodedata.category(ch) == "Cf"


def plain_command(text: str) -> str:
    """What a person typed, made safe for Rasa: every leading slash, look-alike, space and
    invisible character dropped, however they alternate ("/ /restart", "//restart",
    "\uff0frestart" all become "restart"), so no chat user can inject an intent or entities
    ("/restart", '/inform{"language": "fr"}'). Telegram's "/start" becomes a greeting.
    Every channel calls this on typed text; only a button the bot offered (bot.channels.choices)
    reaches Rasa as is."""
    command = text.strip()
    if command.split("@", 1)[0].lower() == "/start":
        return "hello"
    start = 0
    while start < len(text) and _leading_noise(text[start]):
        start += 1
    return text[start:].strip()
