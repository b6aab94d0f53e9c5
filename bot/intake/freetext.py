"""Free-text slots: the partner's case reference and the threat description."""

from __future__ import annotations

import re

from bot.intake.lexicon import LEXICON
from bot.intake.parsed import TOO_LONG, Parsed, empty
from bot.intake.text import phrase_words

MAX_REFERENCE = 64
MAX_THREAT_DESCRIPTION = 2000

# A reference-looking token: letters/digits joined by - / _ . # :, with at least one digit
# ("FLD-2024-0173", "UNHCR/KEN/24/113") or at least one separator between letters and
# capitals ("ABC-XYZ").
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/_.#:]*[A-Za-z0-9]|[A-Za-z0-9]")
_EDGE = " \t\r\n\"'`«»“”‘’.,;:!?()[]{}"
_FILLERS = frozenset(w for p in LEXICON.get("reference", {}).get("fillers", []) for w in
                     phrase_words(p))


def _looks_like_reference(token: str) -> bool:
    if any(c.isdigit() for c in token):
        return True
    return any(c in "-/_#" for c in token) and any(c.isupper() for c in token)


def parse_reference(text: str) -> Parsed:
    """The partner's reference (1-64 chars). A sentence ("our ref is FLD-2024-0173") gives
    its reference-looking token; a bare answer is kept as typed, minus outer whitespace."""
    stripped = (text or "").strip()
    if not stripped:
        return empty()
    if not any(c.isspace() for c in stripped):
        return _bounded(stripped, MAX_REFERENCE)
    candidates = [m.group() for m in _TOKEN.finditer(stripped)]
    refs = [c for c in candidates if _looks_like_reference(c)]
    if refs:
        return _bounded(max(refs, key=len), MAX_REFERENCE)
    # "our reference is Amani" -> "Amani": drop the framing words, keep the rest as typed.
    words = stripped.split()
    while words and all(w in _FILLERS for w in phrase_words(words[0])):
        words.pop(0)
    value = " ".join(words).strip(_EDGE) if words else stripped
    return _bounded(value or stripped, MAX_REFERENCE)


def parse_threat_description(text: str) -> Parsed:
    """The caseworker's own words (stripped), up to 2,000 characters."""
    stripped = (text or "").strip()
    if not stripped:
        return empty()
    return _bounded(stripped, MAX_THREAT_DESCRIPTION)


def _bounded(value: str, limit: int) -> Parsed:
    if len(value) > limit:
        return Parsed(problem=TOO_LONG)
    return Parsed(value)
