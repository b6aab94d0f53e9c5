"""Yes/no answers, read the way the slot's question means them.

Generic words ("yep", "absolutely not") decide only when nothing is said about the slot's
topic itself; a topic phrase ("she is in danger" for safe_in_current_country, "needs
dialysis" for medical_needs) wins over them, and a negator before it flips it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.intake.countries import find_mentions
from bot.intake.lexicon import LEXICON
from bot.intake.parsed import Parsed, empty, not_understood
from bot.intake.text import (
    Hit,
    Matcher,
    Token,
    fold,
    is_negated,
    negators,
    phrase_words,
    tokenize,
)

_LEX = LEXICON.get("yes_no", {})
_GENERIC = Matcher(
    {
        "affirm": _LEX.get("affirm", []),
        "affirm_short": _LEX.get("affirm_short", []),
        "deny": _LEX.get("deny", []),
        "unsure": _LEX.get("unsure", []),
        # Words that contain a yes or a no without being one ("non-state actors").
        "other": _LEX.get("not_answers", []),
    }
)
TOPIC_MATCHERS = {
    slot: Matcher({"true": table.get("true", []), "false": table.get("false", [])})
    for slot, table in (_LEX.get("slots") or {}).items()
}
# Names of the other questions ("the family", "her status"): see corrections.slots.
_OTHER_SLOTS = Matcher(
    {
        slot: phrases
        for slot, phrases in (LEXICON.get("corrections", {}).get("slots") or {}).items()
        if slot != "summary_confirmed"
    }
)
# Topic phrases that only count when nothing stronger is said ("left" vs "for work").
_WEAK = {
    slot: frozenset(phrase_words(p) for p in table.get("weak", []))
    for slot, table in (_LEX.get("slots") or {}).items()
}
# Words that put a later statement after an earlier one ("but now she is in danger").
_CONTRAST = frozenset(
    w for p in _LEX.get("contrast", []) for w in re.findall(r"[a-z0-9]+", fold(p))
)
_CHOICE = {"1": True, "2": False, "true": True, "false": False}


def parse_yes_no(text: str, slot: str | None = None) -> Parsed:
    if not text or not text.strip():
        return empty()
    bare = text.strip().strip(".!").strip().lower()
    if bare in _CHOICE:  # numbered option or the button's stored value
        return Parsed(_CHOICE[bare], evidence=(bare,))
    tokens = tokenize(text)
    if not tokens:
        return not_understood()

    generic = _GENERIC.find(tokens)
    if any(h.label == "unsure" and not is_negated(tokens, h) for h in generic):
        return not_understood()

    if slot == "summary_confirmed" and _names_an_answer(tokens, text):
        # "no wait, she is in Tanzania": a correction, not a verdict on the summary.
        return not_understood()

    main = _leading_answer(tokens, generic)
    matcher = TOPIC_MATCHERS.get(slot or "")
    if matcher:
        topical = _topical(text, tokens, matcher.find(tokens), _WEAK.get(slot or "", ()))
        if topical:
            return _decide(topical, main, text)

    # Generic words: the first one leads the answer ("no, not yet" / "yes I think so").
    for hit in generic:
        if hit.label in ("unsure", "other"):
            continue
        if hit.label == "affirm_short":
            closed = _clause_end(tokens, hit.end)
            if closed is None:
                continue  # "she is in Uganda" states something else; it is no "yes"
            return Parsed(not closed, evidence=(_words(text, tokens, hit),))
        value = (hit.label == "affirm") != is_negated(tokens, hit, after=hit.label == "affirm")
        return Parsed(value, evidence=(_words(text, tokens, hit),))
    return not_understood()


@dataclass(frozen=True)
class _Statement:
    value: bool
    clause: int
    weak: bool
    words: str


def _topical(
    text: str, tokens: list[Token], hits: list[Hit], weak: frozenset[tuple[str, ...]] | tuple
) -> list[_Statement]:
    out = []
    for h in hits:
        phrase = tuple(t.word for t in tokens[h.start : h.end])
        out.append(
            _Statement(
                value=(h.label == "true") != is_negated(tokens, h),
                clause=tokens[h.start].clause,
                weak=phrase in weak,
                words=_words(text, tokens, h),
            )
        )
    return out


def _decide(
    statements: list[_Statement], main: tuple[bool, str] | None, text: str
) -> Parsed:
    """The topic's statements, with the main clause's yes/no: precision first.

    Weak phrases ("left", "moved") count only when nothing stronger is said, so "no, he
    left for economic reasons" is a no. Statements that disagree are a read-back unless a
    contrast puts the last one in a later clause ("was safe, but now she is in danger").
    A yes is never read from a message whose main clause is a no.
    """
    strong = [s for s in statements if not s.weak]
    if not strong:  # only weak words ("he left"): a proposal to read back
        return Parsed(statements[-1].value, sure=False, evidence=tuple(s.words for s in statements))
    last = strong[-1]
    opposite = [s for s in strong if s.value != last.value]
    sure = not opposite or (
        all(s.clause < last.clause for s in opposite) and _has_contrast(text)
    )
    evidence = tuple(s.words for s in strong)
    if main is not None:
        evidence = (main[1], *evidence)
        if main[0] is False and last.value is True:
            return Parsed(False, sure=False, evidence=evidence)
        if main[0] != last.value:  # "yes, but she is being followed"
            return Parsed(last.value, sure=sure and _has_contrast(text), evidence=evidence)
    return Parsed(last.value, sure=sure, evidence=evidence)


def _leading_answer(tokens: list[Token], generic: list[Hit]) -> tuple[bool, str] | None:
    """A yes or no opening the message ("no, he left for work"): its main clause."""
    for hit in generic:
        if hit.start != 0 or hit.label not in ("affirm", "deny"):
            return None
        words = " ".join(t.word for t in tokens[hit.start : hit.end])
        return (hit.label == "affirm"), words
    return None


def _has_contrast(text: str) -> bool:
    """"now", "maintenant"...: a later statement replaces an earlier one."""
    return bool(set(re.findall(r"[a-z0-9]+", fold(text))) & _CONTRAST)


def _words(text: str, tokens: list[Token], hit: Hit) -> str:
    return text[tokens[hit.start].start : tokens[hit.end - 1].end]


def _names_an_answer(tokens: list[Token], text: str) -> bool:
    return bool(_OTHER_SLOTS.find(tokens) or find_mentions(text, tokens))


def _clause_end(tokens: list[Token], end: int) -> bool | None:
    """After "she does": False if the clause ends there, True if it ends after a negator
    ("she does not"), None if the sentence goes on."""
    clause = tokens[end - 1].clause
    rest = [t.word for t in tokens[end:] if t.clause == clause]
    if not rest:
        return False
    if len(rest) == 1 and rest[0] in negators():
        return True
    return None
