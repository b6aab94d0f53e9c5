"""Yes/no answers, read the way the slot's question means them.

Generic words ("yep", "absolutely not") decide only when nothing is said about the slot's
topic itself; a topic phrase ("she is in danger" for safe_in_current_country, "needs
dialysis" for medical_needs) wins over them, and a negator before it flips it.
"""

from __future__ import annotations

from bot.intake.countries import find_mentions
from bot.intake.lexicon import LEXICON
from bot.intake.parsed import Parsed, empty, not_understood
from bot.intake.text import Matcher, Token, is_negated, negators, tokenize

_LEX = LEXICON.get("yes_no", {})
_GENERIC = Matcher(
    {
        "affirm": _LEX.get("affirm", []),
        "affirm_short": _LEX.get("affirm_short", []),
        "deny": _LEX.get("deny", []),
        "unsure": _LEX.get("unsure", []),
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
_CHOICE = {"1": True, "2": False, "true": True, "false": False}


def parse_yes_no(text: str, slot: str | None = None) -> Parsed:
    if not text or not text.strip():
        return empty()
    bare = text.strip().strip(".!").strip().lower()
    if bare in _CHOICE:  # numbered option or the button's stored value
        return Parsed(_CHOICE[bare])
    tokens = tokenize(text)
    if not tokens:
        return not_understood()

    generic = _GENERIC.find(tokens)
    if any(h.label == "unsure" and not is_negated(tokens, h) for h in generic):
        return not_understood()

    if slot == "summary_confirmed" and _names_an_answer(tokens, text):
        # "no wait, she is in Tanzania": a correction, not a verdict on the summary.
        return not_understood()

    matcher = TOPIC_MATCHERS.get(slot or "")
    if matcher:
        # The last statement about the topic wins ("was safe, but now she is in danger").
        topical = [
            (h.label == "true") != is_negated(tokens, h) for h in matcher.find(tokens)
        ]
        if topical:
            return Parsed(topical[-1])

    # Generic words: the first one leads the answer ("no, not yet" / "yes I think so").
    for hit in generic:
        if hit.label == "unsure":
            continue
        if hit.label == "affirm_short":
            closed = _clause_end(tokens, hit.end)
            if closed is None:
                continue  # "she is in Uganda" states something else; it is no "yes"
            return Parsed(not closed)
        value = (hit.label == "affirm") != is_negated(tokens, hit, after=hit.label == "affirm")
        return Parsed(value)
    return not_understood()


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
