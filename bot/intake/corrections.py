"""Corrections to earlier answers ("actually she is in Uganda, not Kenya").

How the slot is found, most explicit first:
1. a place negated in the text that is an earlier answer ("..., not Kenya");
2. the question named ("change the activity to journalism", "the family is 3");
3. the text simply answers the question being asked;
4. a place whose wording gives its role ("sorry, she's from Burundi");
5. a value only one slot can take ("she is a journalist", "she has diabetes").
A named slot without a usable value gives Correction(slot, None) when the user asked for
a change, so the form asks it again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.intake.categories import confident
from bot.intake.countries import find_mentions, role_of
from bot.intake.counts import parse_count
from bot.intake.lexicon import LEXICON
from bot.intake.normalize import Parsed, parse_answer, parse_yes_no
from bot.intake.questions import (
    BOOLEAN_SLOTS,
    CHOICES,
    COUNT_SLOTS,
    COUNTRY_SLOTS,
    FORM_SLOTS,
    TEXT_SLOTS,
)
from bot.intake.text import Hit, Matcher, Token, tokenize
from bot.intake.yesno import TOPIC_MATCHERS

_LEX = LEXICON.get("corrections", {})
_MARKERS = Matcher({"marker": _LEX.get("markers", [])})
_STRIP = Matcher({"strip": _LEX.get("strip", [])})
_INTRO = Matcher({"intro": _LEX.get("value_intro", [])})
_CHANGE = Matcher({"change": _LEX.get("change", [])})
_SLOTS = Matcher({slot: phrases for slot, phrases in (_LEX.get("slots") or {}).items()})
_ADDED = Matcher({"added": _LEX.get("added", [])})
_FAMILY_NOUNS = Matcher(
    {"member": [str(k) for k in (LEXICON.get("counts", {}).get("members") or {})]}
)


@dataclass(frozen=True)
class Correction:
    slot: str  # the slot the user wants changed
    value: Any = None  # its new stored value, or None: ask the slot again


def _cut(text: str, tokens: Sequence[Token], hits: Sequence[Hit]) -> str:
    """text without the words of hits (kept as typed otherwise)."""
    out, pos = [], 0
    for hit in hits:
        out.append(text[pos : tokens[hit.start].start])
        pos = tokens[hit.end - 1].end
    out.append(text[pos:])
    return " ".join(" ".join(out).split())


def _after(text: str, tokens: Sequence[Token], hit: Hit) -> str:
    """What follows a slot's name, minus "to"/"should be"/"is": the new value as typed."""
    rest = text[tokens[hit.end - 1].end :]
    rest_tokens = tokenize(rest)
    skip = 0
    for intro in _INTRO.find(rest_tokens):
        if intro.start != skip:
            break
        skip = intro.end
    if skip >= len(rest_tokens):
        return ""
    return rest[rest_tokens[skip].start :].strip()


def _negated_place(text: str, answers: Mapping[str, Any]) -> Correction | None:
    """"in Uganda, not Kenya": Kenya is an earlier answer, Uganda replaces it."""
    mentions = find_mentions(text)
    positive = [m for m in mentions if not m.negated]
    if not positive:
        return None
    for m in mentions:
        if not m.negated:
            continue
        for slot in COUNTRY_SLOTS:
            if answers.get(slot) == m.code:
                return Correction(slot, positive[0].code)
    return None


def _place_by_role(text: str, requested_slot: str | None) -> Correction | None:
    mentions = [m for m in find_mentions(text) if not m.negated]
    for m in mentions:
        # In a correction even a bare "she is in X" says where she is.
        role = role_of(m, contrast=True)
        if role:
            return Correction(role, m.code)
    if len(mentions) == 1 and requested_slot in COUNTRY_SLOTS:
        return Correction(requested_slot, mentions[0].code)
    return None


# "4 family members, not 3": the replaced value is named too; it must not be read as the new one.
_REPLACED = re.compile(r"[,;]?\s*\b(?:not|rather than|instead of)\s+[^,;.!?]+", re.IGNORECASE)


def _value_for(slot: str, text: str, tokens: Sequence[Token], hit: Hit, change: bool) -> Any:
    if slot not in BOOLEAN_SLOTS:
        kept = _REPLACED.sub("", text).strip()
        if kept and kept != text:
            value = _value_for(slot, kept, tokenize(kept), _rehit(kept, hit), change)
            if value is not None:
                return value
    if slot in BOOLEAN_SLOTS:
        # Asking to change a yes/no: only what is said besides the slot's name counts
        # ("change medical needs to yes"); otherwise the whole sentence, whose topic words
        # carry the meaning ("she is unsafe", "she has no medical needs").
        source = _cut(text, tokens, [hit]) if change else text
        return parse_yes_no(source, slot).value
    rest = _after(text, tokens, hit)
    if rest:
        parsed = parse_answer(slot, rest)
        if parsed.ok:
            return parsed.value
    if change:
        return None
    parsed = parse_answer(slot, text)
    return parsed.value if parsed.ok else None


def _rehit(text: str, hit: Hit) -> Hit:
    """The same slot's name found again in a shortened text (or the original hit)."""
    for found in _SLOTS.find(tokenize(text)):
        if found.label == hit.label:
            return found
    return hit


def _inferred(text: str, tokens: Sequence[Token]) -> Correction | None:
    """A value only one slot takes: an activity, a family count, a status, an agent, a
    topical yes/no."""
    activity = confident("hrd_activity", text)
    if activity and activity not in ("other", "none"):
        return Correction("hrd_activity", activity)
    if _FAMILY_NOUNS.find(tokens):
        count = parse_count(text)
        if count.ok:
            return Correction("family_members", count.value)
    for slot in ("refugee_status", "persecution_agent"):
        value = confident(slot, text)
        if value and value not in ("none", "unknown"):
            return Correction(slot, value)
    topical = [
        slot
        for slot, m in TOPIC_MATCHERS.items()
        if slot != "summary_confirmed" and m.find(tokens)
    ]
    if len(topical) == 1:
        parsed = parse_yes_no(text, topical[0])
        if parsed.ok:
            return Correction(topical[0], parsed.value)
    return None


def parse_correction(
    text: str, answers: Mapping[str, Any], requested_slot: str | None
) -> Correction | None:
    """The change a message asks for, or None when nothing usable is in it."""
    found = _parse_correction(text, answers, requested_slot)
    # "she is also indigenous": added to the earlier factors, not replacing them.
    if (
        found is not None
        and found.slot == "risk_factors"
        and isinstance(found.value, list)
        and _ADDED.find(tokenize(text))
    ):
        merged = set(answers.get("risk_factors") or []) | set(found.value)
        found = Correction(found.slot, [v for v in CHOICES["risk_factors"] if v in merged])
    return found


def _parse_correction(
    text: str, answers: Mapping[str, Any], requested_slot: str | None
) -> Correction | None:
    if not text or not text.strip():
        return None
    raw_tokens = tokenize(text)
    marked = bool(_MARKERS.find(raw_tokens))
    change = bool(_CHANGE.find(raw_tokens))
    cleaned = _cut(text, raw_tokens, _STRIP.find(raw_tokens)) or text
    tokens = tokenize(cleaned)
    asked = requested_slot if requested_slot in FORM_SLOTS else ""
    requested = parse_answer(asked, cleaned) if asked else Parsed()
    answered = requested.ok

    found = _negated_place(cleaned, answers)
    if found:
        return found
    found = _old_and_new(cleaned, answers, asked)
    if found:
        return found

    named = _SLOTS.find(tokens)
    named.sort(key=lambda h: h.label != asked)  # the question asked first
    for hit in named:
        if hit.label == asked and answered:
            return Correction(asked, requested.value)
        if answered and not marked:
            continue  # a plain answer that happens to mention another topic
        value = _value_for(hit.label, cleaned, tokens, hit, change)
        if value is not None:
            return Correction(hit.label, value)
        if change:
            return Correction(hit.label, None)

    if answered and (not marked or asked in TEXT_SLOTS):
        # Free text ("the police came to her house in Kampala") is the answer asked for;
        # only an explicitly named slot above can take it elsewhere.
        return Correction(asked, requested.value)
    found = _place_by_role(cleaned, asked or None)
    if found:
        return found
    if answered:
        return Correction(asked, requested.value)
    return _inferred(cleaned, tokens)


# The value being replaced and the one replacing it, in the ways people write both.
_OLD_NEW = (
    # "I said four before, it is five", "j'ai dit quatre tout à l'heure, c'est cinq"
    re.compile(
        r"\b(?:i|we|you)\s+(?:said|wrote|put|typed|told you|answered|gave|entered|put down)"
        r"\s+(?P<old>[^,;.]+?)\s*(?:before|earlier|previously|by mistake|initially|at first)?"
        r"\s*(?:[,;.]|\bbut\b|\band\b|$)(?P<new>.*)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bj\W?ai\s+(?:dit|[ée]crit|mis|tap[ée]|r[ée]pondu|indiqu[ée]|donn[ée])"
        r"\s+(?P<old>[^,;.]+?)\s*(?:avant|tout [àa] l\W?heure|plus t[ôo]t|par erreur|au d[ée]but)?"
        r"\s*(?:[,;.]|\bmais\b|\bet\b|$)(?P<new>.*)",
        re.IGNORECASE,
    ),
    # "change 3 to 4", "remplacez 3 par 4"
    re.compile(
        r"\b(?:change|changer|changez|replace|remplacer|remplacez|corriger|corrigez|modifier"
        r"|modifiez|update|make)\s+(?:the\s+|le\s+|la\s+|les\s+)?(?P<old>[^,;.]+?)\s+"
        r"(?:to|into|with|by|en|par|pour)\s+(?P<new>.+)",
        re.IGNORECASE,
    ),
    # "not 3 but 4", "pas 3 mais 4"
    re.compile(
        r"\b(?:not|pas|non pas)\s+(?P<old>[^,;.]+?)\s*(?:[,;]\s*)?(?:\bbut\b|\bmais\b)"
        r"\s+(?P<new>.+)",
        re.IGNORECASE,
    ),
    # "4, not 3", "5 instead of 4", "4 et non 3", "4 au lieu de 3"
    re.compile(
        r"(?P<new>.+?)[,;]?\s+(?:and not|not|rather than|instead of|et non|et pas|pas|plut[ôo]t"
        r" que|au lieu de)\s+(?P<old>[^,;.]+)",
        re.IGNORECASE,
    ),
)


def _old_and_new(
    text: str, answers: Mapping[str, Any], requested: str
) -> Correction | None:
    """"I said four before, it is five": the earlier answer equal to the replaced value
    names the slot; the other part is its new value (or, when unreadable, ask again)."""
    for pattern in _OLD_NEW:
        match = pattern.search(text)
        if not match:
            continue
        old, new = match.group("old").strip(), match.group("new").strip()
        if _SLOTS.find(tokenize(old)):
            continue  # "change the family size to 2": the question is named, see below
        readable = [
            slot
            for slot in answers
            if slot not in TEXT_SLOTS and slot != requested and _reads_as(slot, old)
        ]
        # The earlier answer equal to the replaced value; else the one slot that reads it
        # ("I said three kids" when four were recorded: still the family count).
        slots = [slot for slot in readable if _reads_as(slot, old, answers[slot])] or readable
        if len(slots) != 1:
            continue
        slot = slots[0]
        parsed = parse_answer(slot, new) if new else Parsed()
        if parsed.ok and parsed.sure and not parsed.alternatives:
            return Correction(slot, parsed.value)
        return Correction(slot, None)
    return None


_ANY = object()


def _reads_as(slot: str, text: str, value: Any = _ANY) -> bool:
    if slot in BOOLEAN_SLOTS:
        return False  # "I said yes" names no question by itself
    if text.strip().isdigit() and slot not in COUNT_SLOTS:
        return False  # a bare number is a count, not a numbered option here
    parsed = parse_answer(slot, text)
    return parsed.ok and (value is _ANY or parsed.value == value)



def is_correction(
    text: str, answers: Mapping[str, Any] | None = None, requested: str = ""
) -> bool:
    """Correction words, an explicit change, or an earlier answer named as replaced
    ("5, not 4"): without them a message answers the question asked, even when it
    mentions an earlier topic."""
    tokens = tokenize(text or "")
    if _MARKERS.find(tokens) or _CHANGE.find(tokens):
        return True
    if any(p.search(text or "") for p in _OLD_NEW[:3]):
        return True
    return bool(answers) and _old_and_new(text or "", answers or {}, requested) is not None


def apply_correction(answers: Mapping[str, Any], correction: Correction) -> dict[str, Any]:
    """The slot updates to make: the corrected slot, plus consequences: clearing
    threat_description when immediate_threat becomes False, and always clearing
    summary_confirmed (the summary must be confirmed again)."""
    updates: dict[str, Any] = {correction.slot: correction.value}
    if correction.slot == "immediate_threat" and correction.value is False:
        updates["threat_description"] = None
    updates["summary_confirmed"] = None
    return updates
