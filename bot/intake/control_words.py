"""Whether a message has the words a control request needs (why, help, cancel, pause...).

NLU may read a short answer as a control intent ("Nairobi" as a greeting); taking it for one
would lose the answer. A control intent is kept only when its words are in the message.
"""

from __future__ import annotations

import re
from functools import cache

from bot.intake.lexicon import load_data
from bot.intake.text import fold

# Intents that are never an answer but can be confused with one. out_of_scope is left out:
# off-topic messages have no words of their own.
GATED_INTENTS: frozenset[str] = frozenset(load_data("control_words.yml"))


_WORD = re.compile(r"[a-z0-9]+")


@cache
def _words(intent: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """(single-word stems, multi-word phrases, bare marks) of an intent, folded like the
    text. A bare mark such as "?" stands for a message made of that mark alone."""
    raw = [str(entry) for entry in load_data("control_words.yml")[intent]]
    entries = [" ".join(_WORD.findall(fold(entry))) for entry in raw]
    return (
        tuple(e for e in entries if e and " " not in e),
        tuple(f" {e} " for e in entries if " " in e),
        frozenset(r.strip() for r, e in zip(raw, entries, strict=True) if not e),
    )


def has_control_words(intent: str, text: str) -> bool:
    """True when `text` has a word of `intent` (or the intent is not gated)."""
    if intent not in GATED_INTENTS:
        return True
    tokens = _WORD.findall(fold(text))
    stems, phrases, marks = _words(intent)
    if not tokens:
        return bool(text.strip()) and set(text.strip()) <= set("".join(marks))
    padded = f" {' '.join(tokens)} "
    if any(phrase in padded for phrase in phrases):
        return True
    return any(
        token == stem or (len(stem) > 3 and token.startswith(stem))
        for token in tokens
        for stem in stems
    )
