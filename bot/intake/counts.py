"""family_members: how many relatives are resettled with the defender (0-20).

Spelled numbers become digits with text2num; then each family noun counts as the number
just before it ("two children"), its own count ("wife", "twins", "parents"), or cannot be
counted ("children" alone -> ask again). A number tied to a total ("family of 3",
"3 people") or a lone number is the answer itself.
"""

from __future__ import annotations

import re
from dataclasses import replace

from text_to_num import alpha2digit

from bot.intake.lexicon import LEXICON
from bot.intake.parsed import OUT_OF_RANGE, Parsed, empty, not_understood
from bot.intake.text import Matcher, Token, is_negated, phrase_words, tokenize

MAX_FAMILY = 20
_LEX = LEXICON.get("counts", {})
_MEMBERS = {phrase_words(k): v for k, v in (_LEX.get("members") or {}).items()}
_NOUNS = Matcher({" ".join(k): [" ".join(k)] for k in _MEMBERS})
_TOTALS = Matcher({"total": _LEX.get("totals", [])})
_WITH_SELF = Matcher({"with": _LEX.get("with_self", [])})
_FAMILY_TOTALS = frozenset({"family", "famille"})
_NOBODY = Matcher({"nobody": _LEX.get("nobody", [])})
_SELF = Matcher({"self": _LEX.get("including_self", [])})
_FILLERS = frozenset(w for p in _LEX.get("fillers", []) for w in phrase_words(p))
_NUMBER_WORDS = {phrase_words(k): int(v) for k, v in (LEXICON.get("numbers") or {}).items()}
_NUMBER_WORDS_MAX = max((len(k) for k in _NUMBER_WORDS), default=1)
_LANGS = tuple(LEXICON.get("number_languages", ["en"]))
_NEGATIVE = re.compile(r"(?<![\w-])-\s*\d|\bminus\s+\d|\bmoins\s+\d", re.IGNORECASE)


def _digits(text: str) -> str:
    for lang in _LANGS:
        try:
            text = alpha2digit(text, lang, threshold=0)
        except Exception:  # text2num is strict about odd input; the words stay as they are
            continue
    return text


def _number_before(tokens: list[Token], start: int) -> int | None:
    """The number just before a family noun, skipping adjectives ("two young children")."""
    i = start
    while i > 0 and start - i < 3:
        word = tokens[i - 1].word
        if word.isdigit():
            return int(word)
        for n in range(min(_NUMBER_WORDS_MAX, i), 0, -1):
            key = tuple(t.word for t in tokens[i - n : i])
            if key in _NUMBER_WORDS:
                return _NUMBER_WORDS[key]
        if word not in _FILLERS:
            return None
        i -= 1
    return None


def _number_after(tokens: list[Token], end: int) -> int | None:
    """"children: 3" / "kids (2)": a number right after the noun, in the same clause or
    the next one (punctuation opens a new clause)."""
    if end < len(tokens) and tokens[end].word.isdigit():
        return int(tokens[end].word)
    return None


def parse_count(text: str) -> Parsed:
    if not text or not text.strip():
        return empty()
    converted = _digits(text)
    if _NEGATIVE.search(converted):
        return Parsed(problem=OUT_OF_RANGE)
    tokens = tokenize(converted)
    if not tokens:
        return not_understood()
    words = [t.word for t in tokens]
    numbers = [int(w) for w in words if w.isdigit()]

    # An explicit total: "3 people", "family of 4 including her", "the family is 3".
    for hit in _TOTALS.find(tokens):
        # "family of 4" / "une famille de 4": the number after the total comes first (the
        # French article "une" reads as a 1 before it).
        value = int(words[hit.end]) if hit.end < len(tokens) and words[hit.end].isdigit() else None
        if value is None:
            value = _number_before(tokens, hit.start)
        if value is not None:
            if _SELF.find(tokens):
                value -= 1
            elif _WITH_SELF.find(tokens) and words[hit.start] in _FAMILY_TOTALS:
                # "the family is 6 with her": counting her or not? Read it back.
                return replace(_ranged(value), sure=False)
            return _ranged(value)

    total, uncountable, used = 0, False, False
    hits = _NOUNS.find(tokens)
    for n, hit in enumerate(hits):
        nxt = hits[n + 1] if n + 1 < len(hits) else None
        if nxt and nxt.start == hit.end and tokens[nxt.start].clause == tokens[hit.start].clause:
            continue  # French "son mari": a possessive, not an English son
        noun = tuple(words[hit.start : hit.end])
        if is_negated(tokens, hit):
            continue  # "he has no children", "il n'a pas d'enfants"
        number = _number_before(tokens, hit.start)
        if number is None and _MEMBERS[noun] is None:
            number = _number_after(tokens, hit.end)
        if number is None:
            number = _MEMBERS[noun]
        if number is None:
            uncountable = True
            continue
        total += number
        used = True
    if uncountable:
        return not_understood()
    if used:
        return _ranged(total)
    # Before lone numbers: "no one else" must not read as "no 1 else".
    if _NOBODY.find(tokenize(text)):
        return Parsed(0)
    if len(numbers) == 1:
        return _ranged(numbers[0])
    return not_understood()


def _ranged(value: int) -> Parsed:
    if 0 <= value <= MAX_FAMILY:
        return Parsed(value)
    return Parsed(problem=OUT_OF_RANGE)
